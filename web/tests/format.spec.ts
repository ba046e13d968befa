import { describe, expect, it } from 'vitest'
import { aheadClass, formatDateTime, formatUnix, formatWan, groupDigits, monthKey, nextMonth, isLocked, parseMonthKey, reportDeadline, todayKey } from '@/composables/format'
import { pickLanguage, enumLabel } from '@/locales'
import { defaultReportMonth } from '@/composables/useReportFill'
import { filtersFromQuery, queryFromState, rowClass, toApiQuery } from '@/composables/useProjectList'
import { can, homeFor } from '@/composables/permissions'
import { regionTree } from '@/composables/useLookups'
import { compactValue, describeValue } from '@/composables/useAudit'
import { statusEmptyKey } from '@/composables/useReportStatus'
import { makeI18n } from '@/locales'
import enMessages from '@/locales/en'
import type { Project } from '@/api/types'

describe('formatting', () => {
  it('shows 万元 with 2 to 4 decimals', () => {
    expect(formatWan(53148.6)).toBe('53,148.60')
    expect(formatWan(1234567.25)).toBe('1,234,567.25')
    expect(groupDigits('373600.00')).toBe('373,600.00')
    expect(groupDigits('-1234')).toBe('-1,234')
    expect(groupDigits('—')).toBe('—')
    expect(formatWan(1.2345)).toBe('1.2345')
    expect(formatWan(1.234)).toBe('1.234')
    expect(formatWan(5)).toBe('5.00')
    expect(formatWan(null)).toBe('')
  })
  it('keeps up to four decimals of an amount, at least two, and groups only a whole number text', () => {
    expect(formatWan(0.1)).toBe('0.10')
    expect(formatWan(10.5)).toBe('10.50')
    expect(formatWan(-1234.5)).toBe('-1,234.50')
    expect(formatWan(Number.NaN)).toBe('')
    expect(formatWan(undefined)).toBe('')
    expect(groupDigits('1234567')).toBe('1,234,567')
    expect(groupDigits('+1234.5')).toBe('+1,234.5')
    expect(groupDigits('1234 万元')).toBe('1234 万元')
    expect(groupDigits('约1234')).toBe('约1234')
    expect(groupDigits('')).toBe('')
    expect(groupDigits(null)).toBe('')
  })
  it('reads a month key only whole and in range', () => {
    expect(parseMonthKey('2024-03')).toEqual({ year: 2024, month: 3 })
    expect(parseMonthKey('2024-3')).toEqual({ year: 2024, month: 3 })
    expect(parseMonthKey('2024-12')).toEqual({ year: 2024, month: 12 })
    expect(parseMonthKey('2024-01')).toEqual({ year: 2024, month: 1 })
    for (const bad of ['2024-00', '2024-13', '2024-03x', 'x2024-03', '24-03', '2024-003', '', null, undefined]) {
      expect(parseMonthKey(bad), String(bad)).toBeNull()
    }
    expect(monthKey(2024, 3)).toBe('2024-03')
    expect(monthKey(2024, 11)).toBe('2024-11')
  })
  it('computes the month after and the report deadline', () => {
    expect(nextMonth('2024-12')).toBe('2025-01')
    expect(nextMonth('2024-03')).toBe('2024-04')
    expect(nextMonth('2024-13')).toBe('2024-13')
    expect(reportDeadline('2024-03', 5)).toBe('2024-04-05')
    expect(reportDeadline('2024-01', 31)).toBe('2024-02-29')
    expect(reportDeadline('2023-01', 31)).toBe('2023-02-28')
    expect(reportDeadline('2024-03', 0)).toBe('2024-04-01')
    expect(reportDeadline('2024-12', 10)).toBe('2025-01-10')
    expect(reportDeadline('bad', 5)).toBe('')
    expect(todayKey(new Date(2024, 0, 5, 23, 59))).toBe('2024-01-05')
    expect(todayKey(new Date(2024, 11, 31, 0, 0))).toBe('2024-12-31')
  })
  it('colours ahead green and behind red', () => {
    expect(aheadClass(5.8)).toBe('kp-ahead')
    expect(aheadClass(0)).toBe('kp-ahead')
    expect(aheadClass(-0.1)).toBe('kp-behind')
    expect(aheadClass(null)).toBe('kp-none')
    expect(aheadClass(undefined)).toBe('kp-none')
  })
})

describe('server messages in two languages', () => {
  it('keeps the half of the current language', () => {
    const m = '用户名或密码错误，还可尝试 3 次 (wrong login or password, 3 attempts left)'
    expect(pickLanguage(m, 'zh-CN')).toBe('用户名或密码错误，还可尝试 3 次')
    expect(pickLanguage(m, 'en')).toBe('wrong login or password, 3 attempts left')
    expect(pickLanguage('小数位数过多 (more than 4 decimals in 万元): 1.23456', 'en')).toBe('more than 4 decimals in 万元: 1.23456')
    expect(pickLanguage('plain', 'en')).toBe('plain')
  })
  it('keeps full-width parentheses inside the Chinese half', () => {
    const m = '项目已被他人修改（当前版本 1，您提交的版本 99），请刷新后重试 (the project was changed by someone else)'
    expect(pickLanguage(m, 'zh-CN')).toBe('项目已被他人修改（当前版本 1，您提交的版本 99），请刷新后重试')
  })
  it('labels stored values', () => {
    const t = (k: string) => `T(${k})`
    expect(enumLabel(t, 'level', '省重点')).toBe('T(enum.level.provincial)')
    expect(enumLabel(t, 'level', '其他')).toBe('其他')
  })
})

describe('the monthly report month', () => {
  it('offers the month after the last report, but not past last month', () => {
    const now = new Date(2026, 10, 25) // November 2026
    expect(defaultReportMonth([{ month: '2024-03' } as never, { month: '2024-02' } as never], 2024, now)).toBe('2024-04')
    expect(defaultReportMonth([{ month: '2026-10' } as never], 2026, now)).toBe('2026-10')
    expect(defaultReportMonth([], 2026, now)).toBe('2026-01')
  })
})

describe('the project list address bar', () => {
  it('round-trips filters, sort and page', () => {
    const s = filtersFromQuery({ levels: '省重点,市重点', region_id: '8', year: '2024', month: '3', sort: 'name', order: 'desc', page: '2', demo: 'true' })
    expect(s.filters.levels).toEqual(['省重点', '市重点'])
    expect(s.filters.region_id).toBe(8)
    expect(s.filters.demo).toBe('true')
    expect(s.page).toBe(2)
    expect(queryFromState(s.filters, s.sort, s.order, s.page, s.pageSize)).toEqual({
      levels: '省重点,市重点', region_id: '8', year: '2024', month: '3', sort: 'name', order: 'desc', page: '2', demo: 'true',
    })
    const api = toApiQuery(s.filters, s.sort, s.order, s.page, s.pageSize)
    expect(api.with_stats).toBe(true)
    expect(api.demo).toBe(true)
  })
  it('sends the colour filter to the server, as of the month of the figures', () => {
    const s = filtersFromQuery({ colour: 'red', year: '2024', month: '3' })
    expect(s.filters.colour).toBe('red')
    expect(queryFromState(s.filters, s.sort, s.order, s.page, s.pageSize)).toEqual({ colour: 'red', year: '2024', month: '3' })
    const api = toApiQuery(s.filters, s.sort, s.order, s.page, s.pageSize)
    expect(api.colour).toBe('red')
    expect(api.as_of).toBe('2024-03')
    // No month chosen: the server's default as-of; no colour: no as-of either.
    expect(toApiQuery(filtersFromQuery({ colour: 'green' }).filters, 'code', 'asc', 1, 20).as_of).toBeUndefined()
    expect(toApiQuery(filtersFromQuery({ year: '2024', month: '3' }).filters, 'code', 'asc', 1, 20).colour).toBeUndefined()
    expect(filtersFromQuery({ colour: 'blue' }).filters.colour).toBe('')
  })
  it('colours rows by points ahead', () => {
    const p = (a: number | null) => ({ stats: a === null ? null : { ahead_points: a } }) as unknown as Project
    expect(rowClass(p(1))).toBe('kp-row-ahead')
    expect(rowClass(p(-1))).toBe('kp-row-behind')
    expect(rowClass(p(null))).toBe('')
  })
})

describe('roles', () => {
  it('shows each role only what it can use', () => {
    expect(can('admin', 'settings')).toBe(true)
    expect(can('auditor', 'audit')).toBe(true)
    expect(can('leader', 'projects.edit')).toBe(false)
    expect(can('owner', 'dashboard')).toBe(false)
    expect(can('owner', 'reports.fill')).toBe(true)
    expect(can('department', 'settings')).toBe(false)
    expect(can(null, 'dashboard')).toBe(false) // signed out: nothing
    expect(can(undefined, 'financing')).toBe(false)
    expect(homeFor('owner')).toBe('/reports/fill')
    expect(homeFor('admin')).toBe('/dashboard')
    expect(homeFor('bank')).toBe('/financing')
    expect(can('bank', 'financing')).toBe(true)
    expect(homeFor('department')).toBe('/projects')
    expect(homeFor('auditor')).toBe('/audit')
    expect(homeFor('leader')).toBe('/leader')
    expect(can('leader', 'leader') && can('admin', 'leader')).toBe(true)
    for (const r of ['department', 'owner', 'bank', 'auditor'] as const) expect(can(r, 'leader')).toBe(false)
    expect(homeFor(null)).toBe('/welcome')
  })
})

describe('helpers', () => {
  it('builds the region tree', () => {
    const tree = regionTree([
      { id: 1, parent_id: null, name: '省', code: '1' },
      { id: 2, parent_id: 1, name: '市', code: '2' },
      { id: 3, parent_id: 2, name: '县', code: '3' },
      { id: 9, parent_id: 77, name: '孤', code: '9' },
    ])
    expect(tree.map((n) => n.label)).toEqual(['省', '孤'])
    expect(tree[0].children?.[0].children?.[0].label).toBe('县')
  })
  it('shows audit values on one line', () => {
    expect(compactValue({ login: 'a', role: 'admin' })).toBe('login: a; role: admin')
    expect(compactValue(null)).toBe('')
  })

  it('describes an audit value in the reader\'s language: labels, roles, yes/no, amounts with separators', () => {
    const zh = makeI18n('zh-CN').global
    const en = makeI18n('en', { en: enMessages }).global
    const v = { name: '新项目', role: 'department', disabled: false, plan_wan: 12345.5, current_year: 2024 }
    const z = describeValue(v, zh.t as never, zh.te as never)
    expect(z).toBe('项目名称：新项目；角色：责任单位；停用：否；年度计划投资（万元）：12,345.50；当前年度：2024')
    expect(z).not.toMatch(/[a-z_]{4,}:/)
    expect(describeValue(v, en.t as never, en.te as never)).toContain('Annual plan (10k yuan): 12,345.50')
  })

  it('reads a region entry in its own words, with region names for ids', () => {
    const zh = makeI18n('zh-CN').global
    const regions: Record<number, string> = { 4: '乙镇', 3: '中江县' }
    const names = (id: number) => regions[id]
    const after = { merged_into: 4, projects: 11, regions: 0, users: 0 }
    expect(describeValue(after, zh.t as never, zh.te as never, { entity: 'region', regionName: names })).toBe('并入地区：乙镇；移动项目数：11；移动下级地区数：0；移动用户数：0')
    const before = { name: '甲镇', code: '510623', parent_id: 3 }
    expect(describeValue(before, zh.t as never, zh.te as never, { entity: 'region', regionName: names })).toBe('地区名称：甲镇；区划代码：510623；上级地区：中江县')
  })
})

describe('a user lock', () => {
  it('holds until locked_until and not after', () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0)
    expect(isLocked(now / 1000 + 60, now)).toBe(true)
    expect(isLocked(now / 1000 - 1, now)).toBe(false)
    expect(isLocked(null, now)).toBe(false)
    expect(isLocked(undefined, now)).toBe(false)
    expect(isLocked(now / 1000, now)).toBe(false) // ends at its second
    expect(isLocked(now / 1000 + 0.001, now)).toBe(true)
  })
})

describe('times in local time', () => {
  it('shows an ISO instant as the local date and minute, padded; other text as is', () => {
    const local = new Date(2026, 0, 5, 9, 4, 51)
    expect(formatDateTime(local.toISOString())).toBe('2026-01-05 09:04')
    expect(formatDateTime(new Date(2026, 10, 25, 21, 40, 0).toISOString())).toBe('2026-11-25 21:40')
    expect(formatDateTime('not a time')).toBe('not a time')
    expect(formatDateTime('')).toBe('')
    expect(formatDateTime(null)).toBe('')
    expect(formatDateTime(undefined)).toBe('')
  })
  it('shows unix seconds the same way', () => {
    expect(formatUnix(new Date(2026, 11, 31, 23, 59, 0).getTime() / 1000)).toBe('2026-12-31 23:59')
    expect(formatUnix(null)).toBe('')
    expect(formatUnix(undefined)).toBe('')
  })
})

describe('an empty reporting list says why', () => {
  it('tells "all reported" from "nothing due" and "no match"', () => {
    expect(statusEmptyKey(120, 'missing', '')).toBe('reportStatus.allReported')
    expect(statusEmptyKey(120, 'late', '')).toBe('reportStatus.noneLate')
    expect(statusEmptyKey(120, 'missing', '某项目')).toBe('reportStatus.noMatch')
    expect(statusEmptyKey(0, 'missing', '')).toBe('reportStatus.empty')
    const zh = makeI18n('zh-CN').global
    expect(zh.t(statusEmptyKey(120, 'missing', ''), { n: 120 })).toBe('该月应报的 120 个项目都已填报')
  })
})
