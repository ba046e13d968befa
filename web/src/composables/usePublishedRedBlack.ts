import { computed, ref, shallowRef, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import {
  getPublishedRedBlack, getRedBlackChanges, listPublishedRedBlack, publishRedBlack,
  type FrozenRedBlackList, type PublishedRedBlack, type RedBlackChange, type RedBlackChanges, type RedBlackPublishQuestion,
} from '@/api/redblack'
import { useAuthStore } from '@/stores/auth'
import { parseMonthKey } from './format'
import { useErrorText } from './useErrorText'
import type { RedBlackBy } from './useRedBlack'

export type RedBlackKind = 'monthly' | 'quarterly'

/** The question a publication of the page's list asks: the month, or the quarter the month ends (null when it
 *  ends none, or no month is chosen). */
export function publishQuestion(kind: RedBlackKind, month: string, by: RedBlackBy, levels: string[]): RedBlackPublishQuestion | null {
  const m = parseMonthKey(month)
  if (!m) return null
  if (kind === 'quarterly') {
    if (m.month % 3 !== 0) return null
    return { year: m.year, quarter: m.month / 3, by, levels: [...levels] }
  }
  return { year: m.year, month: m.month, by, levels: [...levels] }
}

/** Published 红黑榜 (§5): the bureau publishes the list the page shows — a month or its quarter — as 第N期; the
 *  bureau side reads the frozen copies and what changed since. Every list and figure is the server's. */
export function usePublishedRedBlack(by: Ref<RedBlackBy>, levels: Ref<string[]>, month: Ref<string>) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const auth = useAuthStore()
  // As the server's routes: the bureau publishes; the bureau, departments, leaders and auditors read.
  const canPublish = computed(() => auth.role === 'admin')
  const canRead = computed(() => ['admin', 'department', 'leader', 'auditor'].includes(auth.role ?? ''))
  const canSeeChanges = computed(() => auth.can('published.changes'))  // county-wide live figures
  const items = ref<PublishedRedBlack[]>([])
  const listError = ref('')

  const publishOpen = ref(false)
  const kind = ref<RedBlackKind>('monthly')
  const nextIssue = ref('')
  const publishing = ref(false)
  const publishError = ref('')
  const quarterPossible = computed(() => publishQuestion('quarterly', month.value, by.value, levels.value) !== null)
  const question = computed(() => publishQuestion(kind.value, month.value, by.value, levels.value))

  const opened = shallowRef<PublishedRedBlack | null>(null)
  const frozen = shallowRef<FrozenRedBlackList | null>(null)
  const changes = shallowRef<RedBlackChanges | null>(null)
  const openLoading = ref(false)
  const openError = ref('')
  const view = ref<'frozen' | 'changes'>('frozen')

  async function loadPublished() {
    if (!canRead.value) return
    listError.value = ''
    try {
      items.value = (await listPublishedRedBlack()).items
    } catch (e) {
      listError.value = errorText(e)
    }
  }

  async function refreshNextIssue() {
    nextIssue.value = ''
    const q = question.value
    if (!q) return
    try {
      nextIssue.value = (await listPublishedRedBlack(kind.value, q.year)).next_issue_label ?? ''
    } catch {
      nextIssue.value = ''
    }
  }

  async function openPublish() {
    kind.value = 'monthly'
    publishError.value = ''
    publishOpen.value = true
    await refreshNextIssue()
  }

  async function setKind(k: RedBlackKind) {
    kind.value = k
    publishError.value = ''
    await refreshNextIssue()
  }

  async function publish() {
    const q = question.value
    if (!q || publishing.value) return
    publishing.value = true
    publishError.value = ''
    try {
      const p = await publishRedBlack(q)
      ElMessage.success(t('redblack.publish.done', { issue: p.issue_label }))
      publishOpen.value = false
      await loadPublished()
    } catch (e) {
      publishError.value = errorText(e)
    } finally {
      publishing.value = false
    }
  }

  /** Opens a publication: its frozen lists and what changed since, side by side in tabs. */
  async function open(p: PublishedRedBlack, tab: 'frozen' | 'changes' = 'frozen') {
    opened.value = p
    view.value = canSeeChanges.value ? tab : 'frozen'
    frozen.value = null
    changes.value = null
    openError.value = ''
    openLoading.value = true
    try {
      const [f, c] = await Promise.all([getPublishedRedBlack(p.id), canSeeChanges.value ? getRedBlackChanges(p.id) : null])
      if (opened.value?.id !== p.id) return
      frozen.value = f
      changes.value = c
    } catch (e) {
      openError.value = errorText(e)
    } finally {
      openLoading.value = false
    }
  }
  function close() {
    opened.value = null
  }

  /** "2024-03" → "2024年3月", "2024-Q1" → "2024年第1季度". */
  function periodText(period: string) {
    const [y, rest] = period.split('-')
    if (rest?.startsWith('Q')) return t('periodic.periodQuarter', { y, q: rest.slice(1) })
    return t('periodic.periodMonth', { y, m: Number(rest) })
  }
  /** What a publication covers: "2024年3月 · 乡镇（地区） · 省重点、市重点". */
  function scopeText(p: { period: string; by: RedBlackBy; levels: string[] }) {
    return [periodText(p.period), t(`redblack.by.${p.by}`), p.levels.length ? p.levels.join('、') : t('redblack.publish.allLevels')].join(' · ')
  }
  /** What the dialog is about to publish, in words. */
  const questionText = computed(() => {
    const q = question.value
    if (!q) return ''
    const period = q.quarter ? `${q.year}-Q${q.quarter}` : `${q.year}-${String(q.month).padStart(2, '0')}`
    return scopeText({ period, by: q.by, levels: q.levels })
  })
  /** A list's name, or "未上榜" for none. */
  function listName(list: string) {
    return list ? t(`redblack.${list}`) : t('redblack.publish.offList')
  }
  /** How an entry moved: "黑榜 → 红榜", or for a rank alone "第4名 → 第3名". */
  function changeText(c: RedBlackChange) {
    const rank = (r: number | null) => (r === null ? t('redblack.publish.unranked') : t('redblack.publish.rankN', { n: r }))
    if (c.was !== c.now) return `${listName(c.was)} → ${listName(c.now)}`
    return `${rank(c.was_rank)} → ${rank(c.now_rank)}`
  }

  return {
    canPublish, canRead, items, listError, loadPublished,
    publishOpen, kind, nextIssue, publishing, publishError, quarterPossible, question, openPublish, setKind, publish,
    canSeeChanges, opened, frozen, changes, openLoading, openError, view, open, close,
    periodText, scopeText, questionText, listName, changeText,
  }
}
