/** The browser entry point: the app takes over the page the gateway served. */
import { App } from './app.ts';

const root = document.getElementById('app');
if (root) new App(root, location.origin).start();
