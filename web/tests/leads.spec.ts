import { describe, expect, it } from 'vitest'
import zhMessages from '@/locales/zh-CN'
import enMessages from '@/locales/en'
import { LEAD_BYS, LEAD_STAGES } from '@/api/leads'
import { carrierBody, emptyLeadForm, LEAD_STEPS, leadBody, leadStageTag, leadStep, nextMove } from '@/composables/useLeads'
import { can, homeFor } from '@/composables/permissions'

describe('产业招商', () => {
  it('puts each stage on the step bar, every step passed once producing', () => {
    expect(LEAD_STEPS).toEqual([...LEAD_STAGES])
    expect(LEAD_STEPS.map(leadStep)).toEqual([0, 1, 2, 3, 4, 6])
    expect(leadStageTag('started')).toBe('success')
    expect(leadStageTag('lead')).toBe('info')
  })
  it('offers the one move the server allows, conversion first', () => {
    expect(nextMove({ moves: ['talks'] })).toBe('talks')
    expect(nextMove({ moves: ['signed'] })).toBe('signed')
    expect(nextMove({ moves: ['convert'] })).toBe('convert')
    expect(nextMove({ moves: [] })).toBeNull()
    expect(nextMove(null)).toBeNull()
  })
  it('sends 万元 and 亩 as exact text, leaves out empty optional numbers, and names the bad fields', () => {
    const f = { ...emptyLeadForm(), name: ' 项目 ', investor: '投资方', industry: '新能源', investment_wan: '30000.5', land_mu: '100.5' }
    const ok = leadBody(f)
    expect(ok.errors).toEqual({})
    expect(ok.body).toEqual({ name: '项目', investor: '投资方', industry: '新能源', investment_wan: '30000.5', land_mu: '100.5' })
    const bad = leadBody({ ...f, name: ' ', investment_wan: '0', land_mu: '1.25', floor_m2: '1.5', tax_wan: '1.23456' })
    expect(bad.body).toBeNull()
    expect(Object.keys(bad.errors).sort()).toEqual(['floor_m2', 'investment_wan', 'land_mu', 'name', 'tax_wan'])
  })
  it('sends a carrier\'s area in 亩 for land and m² for a factory', () => {
    const base = { park: '高新区', parcel: 'A-01', area: '150.5', price_yuan: '180000', industries: [' 新能源 ', ''], available: true }
    expect(carrierBody({ ...base, kind: 'land' }).body).toEqual({ park: '高新区', parcel: 'A-01', kind: 'land', land_mu: '150.5', price_yuan: 180000, industries: ['新能源'], available: true })
    expect(carrierBody({ ...base, kind: 'factory' }).errors).toEqual({ area: 'leads.badInt' })
    expect(carrierBody({ ...base, kind: 'factory', area: '16000' }).body?.floor_m2).toBe(16000)
  })
  it('gives 招商 staff the page as their home, leaders read it, others do not see it', () => {
    expect(homeFor('investment')).toBe('/leads')
    expect(can('investment', 'leads')).toBe(true)
    expect(can('investment', 'projects')).toBe(false)
    expect(can('leader', 'leads')).toBe(true)
    expect(can('leader', 'carriers.edit')).toBe(false)
    expect(can('admin', 'carriers.edit')).toBe(true)
    expect(can('owner', 'leads')).toBe(false)
    expect(can('bank', 'leads')).toBe(false)
  })
  it('has every stage, grouping and role in both languages', () => {
    for (const m of [zhMessages, enMessages]) {
      for (const s of LEAD_STAGES) expect(m.leads.stages[s]).toBeTruthy()
      for (const b of LEAD_BYS) expect(m.leads.by[b]).toBeTruthy()
      expect(m.role.investment).toBeTruthy()
      expect(m.nav.leads).toBeTruthy()
    }
  })
})
