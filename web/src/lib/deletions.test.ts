import { describe, expect, it } from 'vitest';
import type { ApiDeletionRequest, ApiVerdict, LedgerEntry } from '../../../src/shared/http.ts';
import { anyOpen, entryText, evidenceLines, heldText, lineageQuery, randomKey, subjectBody, verdictText, versionEdge } from './deletions.ts';

const request = (over: Partial<ApiDeletionRequest> = {}): ApiDeletionRequest => ({
  id: 1, key: 'k1', deployment: 'prod', subject: 'group:u15', state: 'done', ids: { count: 13, sha256: 'ab' }, held: 13,
  parentVersion: 0, childVersion: 1, ledgerSeq: 0, supersededSeq: null, error: null, received: '2026-01-01T00:00:00Z', updated: '2026-01-01T00:00:01Z', ...over,
});

describe('request states', () => {
  it('polls while any request has not ended', () => {
    expect(anyOpen([request(), request({ state: 'failed' })])).toBe(false);
    for (const state of ['received', 'resolved', 'applying'] as const) expect(anyOpen([request(), request({ state })])).toBe(true);
    expect(anyOpen([])).toBe(false);
  });

  it('writes the version edge and the held count', () => {
    expect(versionEdge(request())).toBe('v0 → v1');
    expect(versionEdge(request({ parentVersion: 2, childVersion: 2 }))).toBe('v2 (unchanged)');
    expect(versionEdge(request({ parentVersion: 2, childVersion: null }))).toBe('v2 → …');
    expect(versionEdge(request({ parentVersion: null, childVersion: null }))).toBe('—');
    expect(heldText(request())).toBe('13 of 13');
    expect(heldText(request({ held: null }))).toBe('? of 13');
    expect(heldText(request({ ids: null, held: null }))).toBe('—');
  });
});

describe('the request form', () => {
  it('sends groups and classes as the CLI text, checked by the same parser', () => {
    expect(subjectBody('group', ' u17, u42 ')).toEqual({ forget: 'group:u17,u42', spec: 'group:u17,u42' });
    expect(subjectBody('class', '3,5')).toEqual({ forget: 'class:3,5', spec: 'class:3,5' });
    expect(subjectBody('class', 'three')).toHaveProperty('error');
    expect(subjectBody('group', '  ')).toEqual({ error: 'give at least one group id' });
  });

  it('sends ids as the JSON form (the text form names a file)', () => {
    expect(subjectBody('ids', '12, 40 41,40')).toEqual({ forget: { kind: 'ids', ids: [12, 40, 41] }, spec: 'ids 12, 40, 41' });
    expect(subjectBody('ids', '1 2 3 4 5 6 7')).toMatchObject({ spec: '7 ids' });
    expect(subjectBody('ids', '4, -1')).toEqual({ error: '"-1" is not a sample id (a non-negative integer)' });
  });

  it('makes fresh random keys', () => {
    const a = randomKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(randomKey()).not.toBe(a);
  });
});

describe('lineage queries', () => {
  it('reads digits as a sample and anything else as a group, unless told', () => {
    expect(lineageQuery(' 41 ', 'auto')).toEqual({ sample: 41 });
    expect(lineageQuery('u17', 'auto')).toEqual({ group: 'u17' });
    expect(lineageQuery('17', 'group')).toEqual({ group: '17' });
    expect(lineageQuery('u17', 'sample')).toHaveProperty('error');
    expect(lineageQuery('', 'auto')).toHaveProperty('error');
  });
});

describe('ledger entries', () => {
  const entry = (over: Record<string, unknown> = {}): LedgerEntry => ({
    seq: 3, time: '2026-01-01T00:00:00Z', type: 'deletion', request: 4, deployment: 'prod', exactness: 'exact',
    subject: { kind: 'group', groups: ['u15'] }, held: 13, method: 'sisa', parent: { version: 0 }, child: { version: 1 }, ...over,
  });

  it('summarises an entry', () => {
    expect(entryText(entry())).toEqual({ subject: 'group:u15', edge: 'v0 → v1', what: 'exact deletion of 13 samples by sisa' });
    expect(entryText(entry({ exactness: 'nothing-held', held: 0, child: { version: 0 } }))).toMatchObject({ edge: 'v0 (unchanged)', what: 'nothing held: no new version' });
    expect(entryText(entry({ type: 'retrain', supersedes: 1, subject: { kind: 'ids', ids: [1, 2] } }))).toMatchObject({ subject: 'ids:2', what: 'exact retrain superseding entry 1' });
    expect(entryText(entry({ parent: undefined }))).toMatchObject({ edge: '—' });
  });

  it('lists evidence one item a line', () => {
    expect(evidenceLines({ seconds: 0.09, changed: ['shard 0', 'shard 1'], manifest: { count: 587 } })).toEqual([
      { key: 'seconds', value: '0.09' }, { key: 'changed', value: ['shard 0', 'shard 1'] }, { key: 'manifest', value: '{"count":587}' },
    ]);
    expect(evidenceLines(undefined)).toEqual([]);
  });

  it('says what verification found', () => {
    const checked = { entries: 2, versions: 3, requests: 2, exactVersions: 2, pruned: 0 };
    const ok: ApiVerdict = { ok: true, size: 2, checked };
    expect(verdictText(ok)).toBe('Ledger verified: 2 entries signed and consistent; checked 3 versions, 2 requests, 2 exact versions.');
    expect(verdictText({ ...ok, size: 1 })).toContain('1 entry signed');
    expect(verdictText({ ...ok, checked: { ...checked, pruned: 1 } })).toContain('checked 3 versions (1 pruned: meta and manifest only)');
    expect(verdictText({ ok: false, size: 2, seq: 1, problem: 'bad signature', checked })).toBe('Verification failed at entry 1: bad signature');
  });
});
