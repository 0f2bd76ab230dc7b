import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { Loading } from '../shared-ui/ui.js';

/** The signed door credential drawn as a QR code for the scanner at the door. */
export function DoorQr({ token, code }: { token: string | null; code: string }) {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    setImage(null);
    if (!token) return;
    QRCode.toDataURL(token, { margin: 1, width: 240, errorCorrectionLevel: 'M', color: { dark: '#1c2321' } })
      .then(setImage)
      .catch(() => setImage(null));
  }, [token]);
  if (!token) return <p className="muted">No door QR code: this booking no longer opens the doors.</p>;
  if (!image) return <Loading label="Drawing your QR code…" />;
  return <img className="qr" src={image} alt={`Door QR code for booking ${code}`} width={240} height={240} />;
}
