/**
 * Which field is highlighted in the inspector: the one under the pointer, else the one with
 * keyboard focus, else the one clicked (pinned). Ids come from `field-map.ts` (`L2.F3`, or `L2`
 * for a whole layer).
 */
export class FieldHighlight {
  hovered = $state<string | null>(null);
  focused = $state<string | null>(null);
  pinned = $state<string | null>(null);
  active: string | null = $derived(this.hovered ?? this.focused ?? this.pinned);

  hover(id: string | null): void {
    this.hovered = id;
  }

  focus(id: string | null): void {
    this.focused = id;
  }

  pin(id: string | null): void {
    this.pinned = this.pinned === id ? null : id;
  }

  reset(): void {
    this.hovered = null;
    this.focused = null;
    this.pinned = null;
  }
}
