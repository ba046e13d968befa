import { describe, expect, it } from 'vitest'
import { mergeTargets, regionTree } from '@/composables/useLookups'
import type { Region } from '@/api/types'

const r = (id: number, parent_id: number | null, name: string, extra: Partial<Region> = {}): Region => ({ id, parent_id, name, code: '', ...extra })
const REGIONS: Region[] = [
  r(1, null, '县'),
  r(2, 1, '甲镇'),
  r(3, 2, '东村'),
  r(4, 1, '乙镇'),
  r(5, 1, '旧镇', { retired: true, merged_into: 4 }),
  r(6, 1, '空镇', { retired: true }),
]
const names = (nodes: { label: string; children?: unknown[] }[]): string[] =>
  nodes.flatMap((n) => [n.label, ...names((n.children ?? []) as { label: string; children?: unknown[] }[])])

describe('the region tree', () => {
  it('leaves retired regions out of the pickers', () => {
    expect(names(regionTree(REGIONS))).toEqual(['县', '甲镇', '东村', '乙镇'])
  })

  it('shows them, marked, on the settings page', () => {
    const tree = regionTree(REGIONS, { withRetired: true })
    expect(names(tree)).toEqual(['县', '甲镇', '东村', '乙镇', '旧镇', '空镇'])
    expect(tree[0].children!.filter((n) => n.retired).map((n) => n.label)).toEqual(['旧镇', '空镇'])
  })

  it('offers as merge targets the regions in use, not the region itself or those below it', () => {
    expect(names(mergeTargets(REGIONS, 2))).toEqual(['县', '乙镇'])
    expect(names(mergeTargets(REGIONS, 4))).toEqual(['县', '甲镇', '东村'])
    expect(names(mergeTargets(REGIONS, 1))).toEqual([])
  })
})
