/** Whether this page may start runs, import and delete: it holds the control token. */
import { controlToken } from '../lib/api.ts';

/** Fixed for the page's life: the token is in the page the server sent. */
export const canControl: boolean = controlToken() !== null;
