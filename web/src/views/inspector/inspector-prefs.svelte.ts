/**
 * What the learner opened or closed in the inspector, kept while stepping from packet to
 * packet. The transport and application layers start open; the lower layers start closed
 * (their headers still show, and a click on one of their bytes opens them).
 */
export type Osi = 'application' | 'transport' | 'network' | 'link' | 'physical';

class InspectorPrefs {
  open = $state<Record<Osi, boolean>>({
    application: true,
    transport: true,
    network: false,
    link: false,
    physical: false,
  });
  showExplain = $state(false);
}

export const inspectorPrefs = new InspectorPrefs();
