import { computed, ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute, useRouter } from 'vue-router'
import type { EChartsCoreOption } from 'echarts/core'
import { getStats, getStatsLine } from '@/api/stats'
import { listRegions } from '@/api/system'
import type { Region, StatsLine, StatsResult, StatsRow } from '@/api/types'
import { enumLabel } from '@/locales'
import { AHEAD_COLOR, BEHIND_COLOR, PLAN_COLOR, SCHEDULE_COLOR } from '@/components/charts'
import { html, htmlLines, trusted } from '@/components/html'
import { aheadClass, monthKey, parseMonthKey } from './format'
import { useErrorText } from './useErrorText'
import { usePhone } from './usePhone'

export const DEFAULT_LEVELS = ['省重点', '市重点']

type Translate = (key: string, values?: Record<string, unknown>) => string
type LinePoint = { dataIndex: number; seriesIndex: number; marker: string; seriesName: string }

/** The tooltip of a bar (a group of projects): every text from the data escaped. */
export function barTooltip(t: Translate, name: string, r: StatsRow): string {
  const rank = r.rank ? html` · ${t('dashboard.rankLabel', { n: r.rank })}` : html``
  return htmlLines([
    html`<b>${name}</b>${rank}`,
    html`${t('dashboard.projects')}: ${r.projects}`,
    html`${t('dashboard.plan')}: ${r.display.plan_yi} ${t('common.unitYi')}`,
    html`${t('dashboard.completed')}: ${r.display.completed_yi} ${t('common.unitYi')}`,
    html`${t('dashboard.rate')}: ${r.display.completion_rate_pct}%`,
    html`${t('dashboard.ahead')}: ${r.display.ahead_points}`,
  ])
}

/** The tooltip of a month on the cumulative line: the series marker is ECharts' own markup. */
export function lineTooltip(t: Translate, months: StatsLine['months'], list: LinePoint[]): string {
  const m = months[list[0]?.dataIndex ?? -1]
  if (!m) return ''
  const value = (p: LinePoint) => (p.seriesIndex === 0 ? m.display?.completion_rate_pct : m.display?.schedule_pct) ?? ''
  return htmlLines([
    html`${t('dashboard.monthLabel', { m: m.month })}`,
    ...list.map((p) => html`${trusted(p.marker)}${p.seriesName}: ${value(p)}%`),
  ])
}

function barColor(row: StatsRow) {
  return row.ahead_points !== null && row.ahead_points < 0 ? BEHIND_COLOR : AHEAD_COLOR
}

/**
 * The dashboard: headline figures and charts for an as-of month and a set of levels.
 * Every figure is the server's (`display` strings for text, raw numbers only to size bars).
 */
export function useDashboard() {
  const { t, locale } = useI18n()
  const router = useRouter()
  const route = useRoute()
  const errorText = useErrorText()
  const phone = usePhone() // narrow charts: fewer value labels, steeper axis labels, so they do not overlap

  // ?month=2024-03&levels=省重点,市重点 opens the same view (a link can be shared)
  const qMonth = typeof route.query.month === 'string' && parseMonthKey(route.query.month) ? route.query.month : ''
  const qLevels = typeof route.query.levels === 'string' ? route.query.levels.split(',').filter(Boolean) : null
  const month = ref<string>(qMonth) // 'YYYY-MM'; empty = the latest reported month
  const levels = ref<string[]>(qLevels ?? [...DEFAULT_LEVELS])
  const loading = ref(false)
  const error = ref('')
  const byLevel = shallowRef<StatsResult | null>(null)
  const byRegion = shallowRef<StatsResult | null>(null)
  const byIndustry = shallowRef<StatsResult | null>(null)
  const line = shallowRef<StatsLine | null>(null)
  const regions = shallowRef<Region[]>([])
  let seq = 0
  let loadedKey = ''
  const key = () => `${month.value}|${levels.value.join(',')}`

  async function load() {
    const mine = ++seq
    loadedKey = key()
    loading.value = true
    error.value = ''
    try {
      const picked = parseMonthKey(month.value)
      const base = { year: picked?.year, month: picked?.month, levels: levels.value }
      const level = await getStats({ ...base, by: 'level' })
      if (mine !== seq) return
      const asOf = { year: level.year, month: level.month, levels: levels.value }
      const [region, industry, ln, regs] = await Promise.all([
        getStats({ ...asOf, by: 'region' }),
        getStats({ ...asOf, by: 'industry' }),
        getStatsLine({ year: level.year, levels: levels.value }),
        regions.value.length ? Promise.resolve({ items: regions.value }) : listRegions(),
      ])
      if (mine !== seq) return
      byLevel.value = level
      byRegion.value = region
      byIndustry.value = industry
      line.value = ln
      regions.value = regs.items
      if (!month.value && level.month) {
        month.value = monthKey(level.year, level.month)
        loadedKey = key()
      }
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  const total = computed(() => byLevel.value?.total ?? null)
  const aheadTone = computed(() => aheadClass(total.value?.ahead_points))
  const aheadText = computed(() => {
    const p = total.value?.ahead_points
    const d = total.value?.display.ahead_points
    if (p === null || p === undefined || !d) return ''
    return p >= 0 ? t('dashboard.aheadText', { n: d.replace(/^\+/, '') }) : t('dashboard.behindText', { n: d.replace(/^-/, '') })
  })
  const hasData = computed(() => !!total.value && total.value.projects > 0)

  function rateBars(result: StatsResult | null, opts: { horizontal?: boolean; label?: (k: string) => string } = {}): EChartsCoreOption {
    const rows = result ? [...result.groups].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)) : []
    const names = rows.map((r) => (opts.label ? opts.label(r.key) : r.key))
    const data = rows.map((r) => ({
      value: r.completion_rate_pct ?? 0,
      itemStyle: { color: barColor(r) },
      row: r,
    }))
    const schedule = result?.schedule_pct ?? 0
    const crowded = phone.value && !opts.horizontal && names.length > 4
    const catAxis = { type: 'category', data: names, inverse: !!opts.horizontal, axisLabel: { interval: 0, fontSize: 11, rotate: opts.horizontal || names.length <= 4 ? 0 : crowded ? 60 : 30 } }
    const valAxis = { type: 'value', name: '%', axisLabel: { formatter: '{value}' } }
    return {
      animationDuration: 300,
      grid: { left: opts.horizontal ? 70 : 40, right: opts.horizontal ? 50 : 110, top: 30, bottom: opts.horizontal ? 20 : names.length > 4 ? 60 : 30, containLabel: false },
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const r = rows[p.dataIndex]
          return r ? barTooltip(t, names[p.dataIndex], r) : ''
        },
      },
      xAxis: opts.horizontal ? valAxis : catAxis,
      yAxis: opts.horizontal ? catAxis : valAxis,
      series: [
        {
          type: 'bar',
          name: t('dashboard.seriesRate'),
          data,
          barMaxWidth: 36,
          label: { show: !crowded, position: opts.horizontal ? 'right' : 'top', fontSize: 11, formatter: (p: { dataIndex: number }) => `${rows[p.dataIndex]?.display.completion_rate_pct ?? ''}%` },
          markLine: {
            symbol: 'none',
            lineStyle: { color: SCHEDULE_COLOR, type: 'dashed', width: 2 },
            label: { formatter: `${t('dashboard.seriesSchedule')}\n${result?.display.schedule_pct ?? ''}%`, color: SCHEDULE_COLOR, position: 'end' },
            data: [opts.horizontal ? { xAxis: schedule } : { yAxis: schedule }],
          },
        },
      ],
    }
  }

  const levelOption = computed(() => {
    void locale.value
    return rateBars(byLevel.value, { label: (k) => enumLabel(t, 'level', k) })
  })
  const regionOption = computed(() => {
    void locale.value
    return rateBars(byRegion.value, { horizontal: true })
  })
  const industryOption = computed(() => {
    void locale.value
    return rateBars(byIndustry.value)
  })
  const regionChartHeight = computed(() => `${Math.max(240, (byRegion.value?.groups.length ?? 0) * 26 + 50)}px`)

  const lineOption = computed<EChartsCoreOption>(() => {
    void locale.value
    const l = line.value
    const asOf = byLevel.value?.month ?? 12
    const months = l?.months ?? []
    const shown = months.filter((m) => m.month <= asOf)
    return {
      animationDuration: 300,
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      legend: { top: 0, data: [t('dashboard.seriesRate'), t('dashboard.seriesSchedule')] },
      tooltip: {
        trigger: 'axis',
        formatter: (ps: LinePoint[] | LinePoint) => lineTooltip(t, months, Array.isArray(ps) ? ps : [ps]),
      },
      xAxis: { type: 'category', data: months.map((m) => t('dashboard.monthLabel', { m: m.month })), boundaryGap: false },
      yAxis: { type: 'value', name: '%', max: 100 },
      series: [
        {
          type: 'line',
          name: t('dashboard.seriesRate'),
          data: shown.map((m) => m.completion_rate_pct),
          symbolSize: 8,
          itemStyle: { color: '#1f5fa8' },
          label: { show: true, formatter: (p: { dataIndex: number }) => `${shown[p.dataIndex]?.display?.completion_rate_pct ?? ''}%`, fontSize: 11 },
        },
        {
          type: 'line',
          name: t('dashboard.seriesSchedule'),
          data: months.map((m) => m.schedule_pct),
          lineStyle: { type: 'dashed' },
          itemStyle: { color: SCHEDULE_COLOR },
          symbolSize: 5,
        },
      ],
    }
  })

  function listQuery(extra: Record<string, string>) {
    const lv = byLevel.value
    return {
      levels: levels.value.join(','),
      ...(lv ? { year: String(lv.year), month: String(lv.month) } : {}),
      ...extra,
    }
  }
  function rowAt(result: StatsResult | null, index: number) {
    const rows = result ? [...result.groups].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)) : []
    return rows[index]
  }
  function openLevel(index: number) {
    const r = rowAt(byLevel.value, index)
    if (r) void router.push({ path: '/projects', query: listQuery({ levels: r.key }) })
  }
  function openRegion(index: number) {
    const r = rowAt(byRegion.value, index)
    if (!r) return
    const region = regions.value.find((x) => x.name === r.key)
    void router.push({ path: '/projects', query: listQuery(region ? { region_id: String(region.id) } : { q: r.key }) })
  }
  function openIndustry(index: number) {
    const r = rowAt(byIndustry.value, index)
    if (r) void router.push({ path: '/projects', query: listQuery({ industry: r.key }) })
  }
  function openMonth(index: number) {
    const m = line.value?.months[index]
    if (m) void router.push({ path: '/projects', query: listQuery({ month: String(m.month) }) })
  }
  function openAll() {
    void router.push({ path: '/projects', query: listQuery({}) })
  }

  /** Loads now, and again whenever the month or the levels change. */
  function start() {
    watch([month, levels], () => {
      if (key() !== loadedKey) void load()
      const query: Record<string, string> = {}
      if (month.value) query.month = month.value
      if (levels.value.join(',') !== DEFAULT_LEVELS.join(',')) query.levels = levels.value.join(',')
      void router.replace({ query })
    }, { deep: true })
    return load()
  }

  return {
    start, month, levels, loading, error, byLevel, byRegion, byIndustry, line, total, aheadTone, aheadText, hasData,
    levelOption, regionOption, industryOption, lineOption, regionChartHeight,
    load, openLevel, openRegion, openIndustry, openMonth, openAll,
  }
}
