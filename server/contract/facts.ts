/** What a run showed, in the terms a lesson uses: computed on the server from the trace. */
import { Type, type Static } from 'typebox';

export const Facts = Type.Object({
  /** Fact name → value (`syn.seq` → 3171180375). Facts the run did not show are absent. */
  values: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  /** Mark name → the `seq` of the trace event it points at (`syn` → 4). */
  marks: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
});
export type Facts = Static<typeof Facts>;

export const NO_FACTS: Facts = { values: {}, marks: {} };
