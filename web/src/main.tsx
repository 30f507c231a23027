import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptToken } from './api.ts';
import { App } from './App.tsx';
import './styles.css';

adoptToken();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
