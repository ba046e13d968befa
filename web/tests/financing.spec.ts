import { describe, expect, it } from 'vitest'
import zhMessages from '@/locales/zh-CN'
import enMessages from '@/locales/en'
import { FINANCING_ACTIONS, FINANCING_STAGES, BANK_ANSWERS } from '@/api/financing'
import { answerTag, FINANCING_ACTION_FIELDS, FINANCING_STEPS, financingStageTag, financingStep, newFinancingBody } from '@/composables/useFinancing'
import { summaryItems } from '@/composables/useImport'
import { can, homeFor } from '@/composables/permissions'

describe('融资对接', () => {
  it('sends a new demand as typed: amounts as text for the server to check, empty fields left out', () => {
    const body = newFinancingBody({
      project_id: 7, type: '中长期贷款', amount_wan: ' 9000.5 ', year_need_wan: '4000', term_years: null, purpose: ' 厂房 ', guarantee: '',
      repayment: '', capital_wan: '', negative_list_ok: false, contact: '李四', registered_on: '2024-03-01',
    })
    expect(body).toEqual({ project_id: 7, type: '中长期贷款', amount_wan: '9000.5', year_need_wan: '4000', negative_list_ok: false, purpose: '厂房', contact: '李四', registered_on: '2024-03-01' })
    expect(newFinancingBody({ project_id: 7, type: '中长期贷款', amount_wan: '1', year_need_wan: '1', term_years: 10, purpose: '', guarantee: '', repayment: '', capital_wan: '300', negative_list_ok: true, contact: '', registered_on: '' }))
      .toEqual({ project_id: 7, type: '中长期贷款', amount_wan: '1', year_need_wan: '1', term_years: 10, capital_wan: '300', negative_list_ok: true })
  })
  it('puts each stage on the step bar, every step passed once lent, 未通过 apart', () => {
    expect(FINANCING_STEPS).not.toContain('rejected')
    expect(FINANCING_STEPS.map(financingStep)).toEqual([0, 1, 2, 3, 4, 5, 6, 8])
    expect(financingStageTag('rejected')).toBe('danger')
    expect(financingStageTag('credited')).toBe('success')
    expect(answerTag('ineligible')).toBe('danger')
    expect(answerTag('')).toBe('info')
  })
  it('asks a move only for the fields the server reads, and needs what it requires', () => {
    for (const a of FINANCING_ACTIONS) {
      for (const f of FINANCING_ACTION_FIELDS[a].required) expect(FINANCING_ACTION_FIELDS[a].fields).toContain(f)
    }
    expect(FINANCING_ACTION_FIELDS.push.required).toEqual(['banks'])
    expect(FINANCING_ACTION_FIELDS.reject.required).toEqual(['note'])
    expect(FINANCING_ACTION_FIELDS.credit.required).toEqual(['amount_wan'])
  })
  it('names every stage, move and answer in both languages', () => {
    for (const m of [zhMessages, enMessages]) {
      const fin = (m as unknown as { fin: Record<string, Record<string, string>> }).fin
      for (const s of FINANCING_STAGES) expect(fin.stages[s]).toBeTruthy()
      for (const a of FINANCING_ACTIONS) expect(fin.actions[a]).toBeTruthy()
      for (const a of BANK_ANSWERS) expect(fin.answerNames[a]).toBeTruthy()
    }
  })
  it('is on every role’s menu, and a bank’s home', () => {
    for (const r of ['admin', 'department', 'owner', 'leader', 'bank', 'auditor'] as const) expect(can(r, 'financing')).toBe(true)
    expect(homeFor('bank')).toBe('/financing')
  })
  it('reports an import of the demand list as rows and demands written', () => {
    expect(summaryItems('financing', { rows: 3, projects_created: 2 })).toEqual([{ key: 'rows', value: 3 }, { key: 'demands_written', value: 2 }])
  })
})
