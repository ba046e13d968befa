import { describe, expect, it } from 'vitest'
import { amountWan, codeFormat, dateOrder, firstError, intRange, passwordPolicy, required } from '@/composables/validators'
import { projectChecks, blankModel, toInput, validateModel } from '@/composables/useProjectForm'

const t = (k: string, p?: Record<string, unknown>) => (p && Object.keys(p).length ? `${k}:${JSON.stringify(p)}` : k)

describe('amounts in 万元', () => {
  it.each([
    ['0', null],
    ['1234.5678', null],
    ['', null],
    ['12.', null],
    ['-1', 'validation.nonNegative'],
    ['1.23456', 'validation.decimals'],
    ['abc', 'validation.number'],
    ['1e5', 'validation.number'],
    ['.', 'validation.number'],
    ['1,000', null],
    ['１２３４．５', null],
    ['12万元', null],
    ['5000元', 'validation.unit'],
    ['999999999999', 'validation.tooLarge'],
  ])('%s → %s', (input, key) => {
    expect(amountWan(input)?.key ?? null).toBe(key)
  })
})

describe('the project form', () => {
  const m = blankModel()
  const checks = projectChecks(() => m)

  it('requires code, name and level', () => {
    expect(firstError('', checks.code!.checks, t)).toContain('validation.required')
    expect(firstError('  ', checks.name!.checks, t)).toContain('validation.required')
    expect(firstError('', checks.level!.checks, t)).toContain('validation.requiredSelect')
    expect(firstError('2401-510623-04-01-100001', checks.code!.checks, t)).toBeNull()
  })

  it('names the field in the required message', () => {
    expect(firstError('', [required('project.code')], t)).toBe('validation.required:{"fieldKey":"project.code","field":"project.code"}')
  })

  it('lists every invalid field of a model', () => {
    const bad = { ...blankModel(), name: 'N', total_investment_wan: '1.23456', plan_wan: '-1' }
    expect(Object.keys(validateModel(bad, t, true)).sort()).toEqual(['code', 'level', 'plan_wan', 'total_investment_wan'])
    expect(Object.keys(validateModel(bad, t, false)).sort()).toEqual(['code', 'level', 'total_investment_wan'])
    expect(validateModel({ ...blankModel(), code: 'A1', name: 'N', level: '县重点' }, t, true)).toEqual({})
  })

  it('refuses codes with spaces or Chinese', () => {
    expect(codeFormat('A B')?.key).toBe('validation.codeFormat')
    expect(codeFormat('编码')?.key).toBe('validation.codeFormat')
  })

  it('checks that the planned end is not before the start', () => {
    m.planned_start = '2024-05-01'
    expect(firstError('2024-04-30', checks.planned_end!.checks, t)).toBe('validation.dateOrder')
    expect(firstError('2024-05-01', checks.planned_end!.checks, t)).toBeNull()
  })

  it('sends amounts as the canonical text of what was typed, and the plan only when one is typed', () => {
    const model = { ...blankModel(2024), code: ' X1 ', name: 'N', level: '省重点', total_investment_wan: '1.2345' }
    const body = toInput(model, { withPlan: true })
    expect(body.code).toBe('X1')
    expect(body.total_investment_wan).toBe('1.2345')
    expect(body.plan_wan).toBeUndefined()
    const withPlan = toInput({ ...model, plan_wan: '1,000.50万' }, { withPlan: true })
    expect(withPlan.plan_year).toBe(2024)
    expect(withPlan.plan_wan).toBe('1000.5')
    expect(toInput(model, { version: 7 }).version).toBe(7)
  })
})

describe('other rules', () => {
  it('integer ranges', () => {
    expect(intRange(1, 31)('0')?.key).toBe('validation.range')
    expect(intRange(1, 31)('5.5')?.key).toBe('validation.integer')
    expect(intRange(1, 31)('31')).toBeNull()
  })
  it('date order passes when either date is blank', () => {
    expect(dateOrder(() => null)('2020-01-01')).toBeNull()
  })
  it('the password policy: 8 characters from 3 classes', () => {
    expect(passwordPolicy('Ab1!')?.key).toBe('password.tooShort')
    expect(passwordPolicy('abcdefgh1')?.key).toBe('password.classes')
    expect(passwordPolicy('Abcdefg1')).toBeNull()
    expect(passwordPolicy('abcdef1!')).toBeNull()
  })
})
