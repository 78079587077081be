import { describe, expect, it } from 'vitest';
import { ankiCollectionConf, ankiTimingOf, ratingFromAnkiReview, schedulerVersionOf } from './collection-config';

describe('the collection config of an export', () => {
  it('carries every key of Anki’s own schema-11 config, with the v2/v3 scheduler and the day timing', () => {
    const conf = ankiCollectionConf({ deckId: 77, creationMinutesWest: -540, rolloverHour: 4, nextPosition: 12 });
    // config/schema11.rs schema11_config_as_string, in Anki 25.09.
    const anki = ['activeDecks', 'curDeck', 'newSpread', 'collapseTime', 'timeLim', 'estTimes', 'dueCounts', 'curModel', 'nextPos', 'sortType', 'sortBackwards', 'addToCur', 'dayLearnFirst', 'schedVer', 'creationOffset', 'sched2021'];
    for (const key of anki) expect(conf).toHaveProperty(key);
    expect(conf).toMatchObject({ schedVer: 2, sched2021: true, creationOffset: -540, rollover: 4, curDeck: 77, activeDecks: [77], nextPos: 12 });
    // What Anki reads back from it is the v2 scheduler with the new cut-off.
    expect(schedulerVersionOf(JSON.parse(JSON.stringify(conf)))).toBe(2);
    expect(ankiTimingOf(1_700_000_000, JSON.parse(JSON.stringify(conf)))).toEqual({ creationSeconds: 1_700_000_000, schedulerVersion: 2, rolloverHour: 4, creationMinutesWest: -540 });
  });

  it('refuses an offset or hour that Anki would not read back', () => {
    expect(() => ankiCollectionConf({ deckId: 1, creationMinutesWest: 1440, rolloverHour: 4, nextPosition: 1 })).toThrow(RangeError);
    expect(() => ankiCollectionConf({ deckId: 1, creationMinutesWest: 0, rolloverHour: 24, nextPosition: 1 })).toThrow(RangeError);
  });

  it('reads packages as Anki does: no schedVer is v1, a missing rollover is 4, creationOffset only on v2', () => {
    // ProofDeck's exports before this change, and Anki 2.0's packages.
    expect(schedulerVersionOf({ nextPos: 1, curDeck: 1 })).toBe(1);
    expect(schedulerVersionOf({ schedVer: '2' })).toBe(1);
    expect(schedulerVersionOf({ schedVer: 2, sched2021: true })).toBe(2);
    expect(ankiTimingOf(5, { creationOffset: -480 })).toEqual({ creationSeconds: 5, schedulerVersion: 1, rolloverHour: 4, creationMinutesWest: null });
    expect(ankiTimingOf(5, { schedVer: 2, rollover: 30 }).rolloverHour).toBe(23);
    // The fixture mujing-basic_word.apkg, exported by Anki: col.conf as written there.
    const mujing = JSON.parse('{"estTimes":true,"addToCur":true,"dayLearnFirst":false,"curModel":1741955855608,"sortType":"noteFld","creationOffset":-480,"dueCounts":true,"sched2021":true,"activeDecks":[1],"schedVer":2,"curDeck":1,"nextPos":1,"collapseTime":1200,"sortBackwards":false,"timeLim":0,"newSpread":0}');
    expect(ankiTimingOf(1741896000, mujing)).toEqual({ creationSeconds: 1741896000, schedulerVersion: 2, rolloverHour: 4, creationMinutesWest: -480 });
  });
});

describe('ratings from an Anki review log', () => {
  // storage/revlog/v2_upgrade.sql: UPDATE revlog SET ease = ease + 1 WHERE ease IN (2, 3) AND type IN (0, 2)
  const table: [ease: number, type: number, v1: number, v2: number][] = [
    [1, 0, 1, 1],
    [2, 0, 3, 2],
    [3, 0, 4, 3],
    [4, 0, 4, 4],
    [2, 1, 2, 2],
    [3, 1, 3, 3],
    [2, 2, 3, 2],
    [3, 2, 4, 3],
    [2, 3, 2, 2],
    [0, 4, 0, 0],
  ];
  it.each(table)('ease %i of review type %i reads as %i from v1 and %i from v2', (ease, type, v1, v2) => {
    expect(ratingFromAnkiReview(ease, type, 1)).toBe(v1);
    expect(ratingFromAnkiReview(ease, type, 2)).toBe(v2);
  });
});
