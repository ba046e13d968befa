import { describe, expect, it } from 'vitest'
import { amountWan, codeFormat, dateOrder, firstError, intRange, maxLength, passwordPolicy, required, toRules, wanToSend } from '@/composables/validators'
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

// The edges of each rule (what the first Stryker run of validators.ts left alive).
describe('each rule at its edges', () => {
  it('required: null, undefined, blanks and an empty choice are missing; 0, false and a chosen item are not', () => {
    for (const v of [null, undefined, '', ' \t ', []]) expect(required('f')(v)?.key).toBe('validation.required')
    expect(required('f', true)(null)).toEqual({ key: 'validation.requiredSelect', params: { fieldKey: 'f' } })
    for (const v of [0, false, 'x', ['a'], ' x ']) expect(required('f')(v)).toBeNull()
  })
  it('wanToSend: the canonical text, or null for a blank or an amount it cannot read', () => {
    expect(wanToSend('1,000.50万')).toBe('1000.5')
    expect(wanToSend('0')).toBe('0')
    expect(wanToSend('')).toBeNull()
    expect(wanToSend('abc')).toBeNull()
    expect(wanToSend('-1')).toBeNull()
  })
  it('maxLength counts characters (a character outside the BMP is one), and lets non-text through', () => {
    expect(maxLength(3)('abc')).toBeNull()
    expect(maxLength(3)('abcd')).toEqual({ key: 'validation.maxLength', params: { n: 3 } })
    expect(maxLength(3)('汉字汉')).toBeNull()
    expect(maxLength(2)('𠀀𠀀')).toBeNull() // two characters, four UTF-16 units
    expect(maxLength(2)('𠀀𠀀𠀀')?.key).toBe('validation.maxLength')
    expect(maxLength(2)(12345)).toBeNull()
    expect(maxLength(2)(null)).toBeNull()
  })
  it('codeFormat: the code as typed, around blanks trimmed; a blank passes', () => {
    expect(codeFormat(' 2401-510623/A_1.b ')).toBeNull()
    expect(codeFormat('')).toBeNull()
    expect(codeFormat(null)).toBeNull()
    expect(codeFormat('A+1')?.key).toBe('validation.codeFormat')
  })
  it('intRange: both ends included, and the message names them', () => {
    expect(intRange(1, 12)('1')).toBeNull()
    expect(intRange(1, 12)('12')).toBeNull()
    expect(intRange(1, 12)(' 7 ')).toBeNull()
    expect(intRange(1, 12)('13')).toEqual({ key: 'validation.range', params: { min: 1, max: 12 } })
    expect(intRange(1, 12)('0')).toEqual({ key: 'validation.range', params: { min: 1, max: 12 } })
    expect(intRange(-5, 5)('-5')).toBeNull()
    expect(intRange(1, 12)('')).toBeNull()
    expect(intRange(1, 12)('1e1')?.key).toBe('validation.integer')
  })
  it('dateOrder: the same day passes, a day before does not, a blank end passes', () => {
    const order = dateOrder(() => '2024-05-01')
    expect(order('2024-05-01')).toBeNull()
    expect(order('2024-04-30')).toEqual({ key: 'validation.dateOrder' })
    expect(order('')).toBeNull()
    expect(dateOrder(() => '  ')('2024-01-01')).toBeNull()
  })
  it('the password policy counts each class by itself', () => {
    expect(passwordPolicy('ABCDEFGH1')?.key).toBe('password.classes') // upper + digit
    expect(passwordPolicy('abcdefgH')?.key).toBe('password.classes') // lower + upper
    expect(passwordPolicy('abcdefg!')?.key).toBe('password.classes') // lower + symbol
    expect(passwordPolicy('12345678!')?.key).toBe('password.classes') // digit + symbol
    expect(passwordPolicy('ABCDEFG1!')).toBeNull()
    expect(passwordPolicy('abcdefgH!')).toBeNull()
    expect(passwordPolicy('Abcdefg1')).toBeNull()
    expect(passwordPolicy(null)?.key).toBe('password.tooShort')
    expect(passwordPolicy('Abcdef1')?.key).toBe('password.tooShort') // 7 characters
  })
  it('firstError: the first failing check, with its field translated; null when all pass', () => {
    expect(firstError('', [intRange(1, 2), required('project.name')], t)).toBe('validation.required:{"fieldKey":"project.name","field":"project.name"}')
    expect(firstError('3', [intRange(1, 2), required('project.name')], t)).toBe('validation.range:{"min":1,"max":2}')
    expect(firstError('1', [intRange(1, 2), required('project.name')], t)).toBeNull()
  })
  it('toRules: one rule run as the user types and on blur, calling back with the message or nothing', () => {
    const rules = toRules([intRange(1, 2)], t, true)
    expect(rules).toHaveLength(1)
    const rule = rules[0] as { required: boolean; trigger: string[]; validator: (r: unknown, v: unknown, cb: (e?: Error) => void) => void }
    expect(rule.required).toBe(true)
    expect(rule.trigger).toEqual(['change', 'blur', 'input'])
    expect((toRules([], t)[0] as { required: boolean }).required).toBe(false)
    const calls: (Error | undefined)[][] = []
    rule.validator(null, '5', (...a) => calls.push(a))
    rule.validator(null, '2', (...a) => calls.push(a))
    expect(calls[0]![0]).toBeInstanceOf(Error)
    expect(calls[0]![0]!.message).toBe('validation.range:{"min":1,"max":2}')
    expect(calls[1]).toEqual([])
  })
})
