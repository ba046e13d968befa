import { describe, expect, it } from 'vitest'
import zhMessages from '@/locales/zh-CN'
import enMessages from '@/locales/en'
import type { Tour } from '@/api/tours'
import { entryOf, moveStop, tourDates, tourFormOf, tourInputOf } from '@/composables/useTours'
import { can } from '@/composables/permissions'

const tour: Tour = {
  id: 3, name: '一季度拉练', start: '2024-03-26', end: '2024-03-27', status: 'running', status_label: '进行中', note: '',
  sheet: [{ key: 'investment', name: '投资完成', max: '30' }, { key: 'site', name: '现场管理', max: '10' }],
  stops: [
    { id: 11, seq: 1, project_id: 7, project_code: 'A-7', project_name: '甲项目', region: '凯江镇', mine: { version: 2, scored_at: '2026-01-01T08:30:00Z', items: { investment: '27.5', site: '9' }, total: '36.5' } },
    { id: 12, seq: 2, project_id: 9, project_code: 'B-9', project_name: '乙项目', region: '南华镇', mine: null },
  ],
  raters: [{ login: 'leader', name: '李县长' }], is_rater: true, can_score: true, created_by: 'admin', version: 4, updated_at: '', updated_by: '',
}

describe('拉练', () => {
  it('keeps the route in order and sends project ids and logins', () => {
    const f = tourFormOf(tour)
    expect(f.stops.map((s) => s.id)).toEqual([7, 9])
    expect(tourInputOf({ ...f, name: '  一季度拉练 ', end: '' })).toEqual({
      name: '一季度拉练', start: '2024-03-26', end: '2024-03-26', status: 'running', note: '', stops: [7, 9], raters: ['leader'],
    })
    expect(tourFormOf(null, '2024-05-01')).toMatchObject({ start: '2024-05-01', end: '2024-05-01', status: 'planning', stops: [] })
  })
  it('moves a stop up or down and never off the ends', () => {
    expect(moveStop([1, 2, 3], 2, -1)).toEqual([1, 3, 2])
    expect(moveStop([1, 2, 3], 0, 1)).toEqual([2, 1, 3])
    expect(moveStop([1, 2, 3], 0, -1)).toEqual([1, 2, 3])
    expect(moveStop([1, 2, 3], 2, 1)).toEqual([1, 2, 3])
  })
  it('fills a stop with the rater’s saved points, empty when none', () => {
    expect(entryOf(tour.sheet, tour.stops[0].mine).points).toEqual({ investment: 27.5, site: 9 })
    expect(entryOf(tour.sheet, null).points).toEqual({ investment: undefined, site: undefined })
    expect(tourDates(tour)).toBe('2024-03-26 ~ 2024-03-27')
    expect(tourDates({ start: '2024-03-26', end: '2024-03-26' })).toBe('2024-03-26')
  })
  it('shows tours to the roles the server lets in, results to the bureau side', () => {
    expect(['admin', 'leader', 'department', 'auditor'].every((r) => can(r as never, 'tours'))).toBe(true)
    expect(can('owner', 'tours') || can('bank', 'tours') || can('investment', 'tours')).toBe(false)
    expect(can('department', 'tours.results')).toBe(false)
    expect(can('auditor', 'tours.results')).toBe(true)
  })
  it('has every label in both languages', () => {
    expect(Object.keys(enMessages.tours).sort()).toEqual(Object.keys(zhMessages.tours).sort())
    expect(Object.keys(zhMessages.nav)).toContain('tours')
    expect(Object.keys(enMessages.nav)).toContain('tours')
  })
})
