import { describe, expect, it } from 'vitest'
import { isoWeekOf } from '@/composables/usePeriodicReport'

describe('isoWeekOf', () => {
  it('names the ISO week: Monday first, the year of its Thursday', () => {
    expect(isoWeekOf(new Date(2024, 2, 25))).toBe('2024-W13') // Monday
    expect(isoWeekOf(new Date(2024, 2, 31))).toBe('2024-W13') // Sunday
    expect(isoWeekOf(new Date(2024, 3, 1))).toBe('2024-W14')
    expect(isoWeekOf(new Date(2024, 0, 1))).toBe('2024-W01') // a Monday
    expect(isoWeekOf(new Date(2021, 0, 3))).toBe('2020-W53') // Sunday of 2020's 53rd week
    expect(isoWeekOf(new Date(2026, 11, 31))).toBe('2026-W53')
    expect(isoWeekOf(new Date(2025, 11, 29))).toBe('2026-W01')
  })
})
