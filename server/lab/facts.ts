/** What a run showed, in the terms a lesson uses (the contract's `Facts`). */
export type { Facts } from '../contract/facts.js';
