/** /mesdonnees shows what the plan asked too: the mailboxes' names, and an ISP subscription's end. */
import { afterEach, describe, expect, it } from 'vitest';
import { makeEngine, tempDbPath } from '../support/engine.js';

describe('/mesdonnees after the plan\'s questions', () => {
  let tmp: ReturnType<typeof tempDbPath>;
  afterEach(() => tmp?.cleanup());

  it('lists the mailboxes\' names and the subscription\'s end, readable and in the JSON document', async () => {
    tmp = tempDbPath();
    const world = makeEngine(tmp.path);
    const alice = world.chat('alice');
    await alice.start();
    for (const choice of ['begin', 'free', 'family', 'upTo5', 'dontKnow', 'no', 'dontKnow', 'dontKnow', 'dontKnow', 'dontKnow', 'dontKnow']) {
      await alice.press(choice);
    }
    const ranked = world.engine.guideView('test:alice')!.context.ranked;
    await alice.press(`provider:${ranked[0]}`);
    await alice.say('Papa, Maman');
    await alice.press('yes');
    await alice.say('15/03/2027');
    await alice.say('/mesdonnees');
    const text = world.sender.lastText();
    expect(text).toContain('Papa, Maman');
    expect(text).toContain('15 mars 2027');
    const json = JSON.parse(world.sender.last.attachment!.content);
    expect(json.situation).toEqual({ mailboxes: ['Papa', 'Maman'], isp: { cancelling: true, cancelDate: '2027-03-15' } });
    world.close();
  });
});
