import { computed, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { getLeaderOverview, type LeaderOverview, type LeaderProject } from '@/api/leader'
import { giveInstruction } from '@/api/instructions'
import { useAuthStore } from '@/stores/auth'
import { aheadClass, monthKey, parseMonthKey } from './format'
import { DEFAULT_LEVELS } from './useDashboard'
import { useErrorText } from './useErrorText'

/**
 * The leaders' page: the county's headline and the chaired projects, as the server orders and computes
 * them; the 批示 sheet writes an instruction on one project. The bureau picks a leader.
 */
export function useLeaderView() {
  const { t } = useI18n()
  const auth = useAuthStore()
  const errorText = useErrorText()
  const data = shallowRef<LeaderOverview | null>(null)
  const loading = ref(false)
  const error = ref('')
  const month = ref('') // 'YYYY-MM'; empty: the headline month
  const leader = ref('') // the bureau's pick
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const picked = parseMonthKey(month.value)
      const r = await getLeaderOverview({ year: picked?.year, month: picked?.month, levels: DEFAULT_LEVELS, leader: auth.role === 'admin' ? leader.value : undefined })
      if (mine !== seq) return
      data.value = r
      if (!month.value) month.value = monthKey(r.year, r.month)
      if (auth.role === 'admin' && !leader.value && r.leaders?.length) {
        leader.value = r.leaders[0]
        await load()
      }
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  const total = computed(() => data.value?.headline.total ?? null)
  const headTone = computed(() => aheadClass(total.value?.ahead_points))
  /** "超时序 5.8 个百分点" / "落后时序 2.0 个百分点" from the server's display string. */
  function aheadText(row: { ahead_points: number | null; display: { ahead_points: string } } | null | undefined): string {
    if (!row || row.ahead_points === null) return ''
    const d = row.display.ahead_points
    return row.ahead_points >= 0 ? t('leader.ahead', { n: d.replace(/^\+/, '') }) : t('leader.behind', { n: d.replace(/^-/, '') })
  }

  // The 批示 sheet.
  const sheetFor = shallowRef<LeaderProject | null>(null)
  const sheetOpen = ref(false)
  const text = ref('')
  const textError = ref('')
  const giving = ref(false)
  function openSheet(p: LeaderProject) {
    sheetFor.value = p
    text.value = ''
    textError.value = ''
    sheetOpen.value = true
  }
  async function give() {
    const p = sheetFor.value
    if (!p) return
    textError.value = ''
    giving.value = true
    try {
      await giveInstruction(p.id, text.value)
      sheetOpen.value = false
      ElMessage.success(t('leader.given', { name: p.name }))
      await load()
    } catch (e) {
      textError.value = errorText(e)
    } finally {
      giving.value = false
    }
  }

  return { data, loading, error, month, leader, total, headTone, aheadText, aheadClass, load, sheetFor, sheetOpen, text, textError, giving, openSheet, give }
}
