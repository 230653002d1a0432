/** Names of programs, lanes and stages in the page's language. */
import { t, tMaybe } from '../i18n/index.ts';
import type { TimelineLane } from './timeline/timeline-model.ts';

/** `client` → Client, `client-2` → Client 2; a name the page does not know as written. */
export function actorName(actor: string): string {
  const numbered = /^(client|server)-(\d+)$/.exec(actor);
  if (numbered) return t('timeline.actorNumber', { actor: t(numbered[1] === 'client' ? 'actor.client' : 'actor.server'), n: numbered[2]! });
  return tMaybe(`actor.${actor}`, actor);
}

export function laneTitle(lane: TimelineLane): string {
  switch (lane.kind) {
    case 'actor':
      return actorName(lane.actor ?? lane.title);
    case 'wire':
      return t('timeline.lane.wire');
    case 'elsewhere':
      return t('timeline.lane.elsewhere');
    case 'stage':
      return t(lane.stage === 'writes' ? 'timeline.stage.writes' : lane.stage === 'reads' ? 'timeline.stage.reads' : 'timeline.stage.wire');
    case 'connection':
      return lane.title;
  }
}
