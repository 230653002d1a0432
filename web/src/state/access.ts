/** Whether this page may start runs, import and delete. */
import { controlToken } from '../lib/api.ts';
import { room } from './room.svelte.ts';

/** The page holds the control token (fixed for the page's life: it is in the page the server sent). */
export const holdsToken: boolean = controlToken() !== null;

export const access = {
  /**
   * It holds the token and does not follow a room: a follower is read-only, even on the
   * instructor's machine (a projector window), so its page offers nothing it would refuse.
   */
  get control(): boolean {
    return holdsToken && room.role !== 'follower';
  },
};
