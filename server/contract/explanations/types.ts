/** The shape of an explanation text. Data only: no decoder code comes with it. */
import type { Localized } from '../experiment.js';

/** A field's, layer's or OSI layer's short human name (`Source port` / `源端口`) and what it means. */
export interface Explanation {
  title: Localized;
  text: Localized;
}
