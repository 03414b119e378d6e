import '@xyflow/react/dist/style.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/inventory.css';
import './styles/canvas.css';
import './styles/design.css';
import './styles/output.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
