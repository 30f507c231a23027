import { describe, expect, it } from 'vitest';
import type { ApiDeletionRequest, ApiVersion } from '../../../src/shared/http.ts';
import { requestList, versionGraph } from './version-graph.ts';

const version = (number: number, exactness: ApiVersion['exactness'], method = 'sisa', manifestCount = 600 - number * 10): ApiVersion => ({
  number, modelId: `m${number}`, path: `/d/v${number}`, weightsSha256: 'w', manifestCount, manifestSha256: 's', exactness, method, created: '2026-01-01T00:00:00Z', pruned: null,
});
const request = (id: number, parentVersion: number | null, childVersion: number | null, over: Partial<ApiDeletionRequest> = {}): ApiDeletionRequest => ({
  id, key: `k${id}`, deployment: 'prod', subject: `group:u${id}`, state: 'done', ids: { count: 10, sha256: null }, held: 10,
  parentVersion, childVersion, ledgerSeq: id, supersededSeq: null, error: null, received: '', updated: '', ...over,
});

describe('the version graph', () => {
  it('puts versions in a row and the requests that made them between them', () => {
    const g = versionGraph([version(0, 'deployed'), version(1, 'exact'), version(2, 'exact')], [request(3, 1, 2), request(2, 0, 1), request(1, 0, 1)], 2);
    expect(g.nodes.map((n) => n.label)).toEqual(['v0', 'v1', 'v2']);
    expect(new Set(g.nodes.map((n) => n.y)).size).toBe(1);
    const xs = g.nodes.map((n) => n.x);
    expect(xs[1] - xs[0]).toBe(xs[2] - xs[1]);
    expect(g.nodes.map((n) => n.current)).toEqual([false, false, true]);
    // The batch of requests 1 and 2 is one edge.
    expect(g.edges.map((e) => [e.from, e.to, e.style, e.requests])).toEqual([[0, 1, 'exact', [1, 2]], [1, 2, 'exact', [3]]]);
    expect(g.edges[0].lines[0]).toBe('#1, #2 group:u1 +1');
    expect(g.edges[0].lines[1]).toBe('sisa · −20 samples');
    expect(g.nodes[0].lines).toEqual(['deployed · sisa', '600 samples']);
    // A pruned version (its weights removed) says so.
    const pruned = versionGraph([version(0, 'deployed'), { ...version(1, 'exact'), pruned: '2026-01-02T00:00:00Z' }, version(2, 'exact')], [request(2, 1, 2), request(1, 0, 1)], 2);
    expect(pruned.nodes[1].lines).toEqual(['exact · sisa', '590 samples · pruned']);
    // Everything inside the box; edge labels between their nodes.
    for (const n of g.nodes) expect(n.x - g.r).toBeGreaterThanOrEqual(0);
    expect(g.nodes[2].x + g.r).toBeLessThanOrEqual(g.width);
    for (const e of g.edges) {
      expect(e.labelX).toBeGreaterThan(xs[e.from]);
      expect(e.labelX).toBeLessThan(xs[e.to]);
      expect(e.labelY).toBeGreaterThan(0);
      expect(e.labelY).toBeLessThan(g.nodes[0].y);
    }
  });

  it('labels fit between neighbouring nodes', () => {
    const long = request(1, 0, 1, { subject: 'group:a-very-long-owner-identifier-indeed' });
    const g = versionGraph([version(0, 'deployed'), version(1, 'exact')], [long], 1);
    expect(g.edges[0].lines[0].length).toBeLessThanOrEqual(28);
    expect(g.edges[0].lines[0].endsWith('…')).toBe(true);
    const gap = g.nodes[1].x - g.nodes[0].x - 2 * g.r;
    expect(Math.max(...g.edges[0].lines.map((l) => l.length * 11.5 * 0.6))).toBeLessThan(gap);
  });

  it('draws approximate edges apart from exact ones, and a retrain as its own exact edge superseding them', () => {
    const versions = [version(0, 'deployed', 'ft'), version(1, 'approximate', 'ft'), version(2, 'approximate', 'ft'), version(3, 'retrain', 'retrain')];
    const requests = [request(1, 0, 1, { supersededSeq: 5 }), request(2, 1, 2, { supersededSeq: 6 })];
    const g = versionGraph(versions, requests, 3);
    expect(g.edges.map((e) => [e.from, e.to, e.style])).toEqual([[0, 1, 'approximate'], [1, 2, 'approximate'], [2, 3, 'exact']]);
    expect(g.edges[2].lines).toEqual(['exact retrain', 'supersedes #1, #2']);
    expect(g.edges[2].requests).toEqual([1, 2]);
  });

  it('a request that held nothing is a loop on its version; open and failed requests have no edge', () => {
    const g = versionGraph([version(0, 'deployed'), version(1, 'exact')], [
      request(1, 0, 1), request(2, 1, 1, { held: 0 }), request(3, 1, null, { state: 'applying' }), request(4, null, null, { state: 'failed', error: 'boom' }),
    ], 1);
    expect(g.edges.map((e) => [e.from, e.to, e.style])).toEqual([[0, 1, 'exact'], [1, 1, 'none']]);
    const loop = g.edges[1];
    expect(loop.lines).toEqual(['#2 group:u2', 'nothing held']);
    expect(loop.path.startsWith('M')).toBe(true);
    expect(loop.labelY).toBeLessThan(g.nodes[1].y - g.r - 34);
    expect(loop.labelY).toBeGreaterThan(0);
  });

  it('marks the highlighted versions', () => {
    const g = versionGraph([version(0, 'deployed'), version(1, 'exact')], [request(1, 0, 1)], 1, new Set([0]));
    expect(g.nodes.map((n) => n.highlighted)).toEqual([true, false]);
  });

  it('a deployment with only v0 is one node', () => {
    const g = versionGraph([version(0, 'deployed')], [], 0);
    expect(g.nodes).toHaveLength(1);
    expect(g.edges).toEqual([]);
    expect(g.nodes[0].x * 2).toBe(g.width);
  });

  it('shortens long request lists', () => {
    expect(requestList([3])).toBe('#3');
    expect(requestList([4, 3])).toBe('#3, #4');
    expect(requestList([9, 3, 4, 5, 6])).toBe('#3–#9 (5)');
  });
});
