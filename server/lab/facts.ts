/** What a run showed, in the terms a lesson uses. */
export interface Facts {
  /** Fact name → value (`syn.seq` → 3171180375). Facts the run did not show are absent. */
  values: Record<string, string | number>;
  /** Mark name → the `seq` of the trace event it points at (`syn` → 4). */
  marks: Record<string, number>;
}
