import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { readSettings } from './settings.js';
import './kiosk.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App settings={readSettings(window.location.search)} />
  </StrictMode>,
);
