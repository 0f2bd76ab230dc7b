import net from 'node:net';

export type ProxyMode = 'up' | 'down' | 'flapping';

/**
 * A TCP proxy between the edge and the cloud for fault injection. 'down' refuses and cuts every
 * connection; 'flapping' delays data and cuts connections at random moments, including mid-request
 * and mid-response, which is what a venue's DSL line does on a bad day.
 */
export class FlakyProxy {
  mode: ProxyMode = 'up';
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  cuts = 0;
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly random: () => number = Math.random,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'down') this.cutAll();
  }

  cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.cuts++;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.mode === 'down') {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    this.pipe(client, upstream);
    this.pipe(upstream, client);
    if (this.mode === 'flapping' && this.random() < 0.3) {
      // Cut this connection at a random moment: before, during or after the exchange.
      setTimeout(() => {
        this.cuts++;
        client.destroy();
        upstream.destroy();
      }, this.random() * 80);
    }
  }

  private pipe(from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk) => {
      const delay = this.mode === 'flapping' ? this.random() * 30 : 0;
      if (delay === 0) to.write(chunk);
      else setTimeout(() => to.writable && to.write(chunk), delay);
    });
  }
}
