import { reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/http'
import { completeProjectNode, createProjectNode, deleteProjectNode, listProjectNodes, reopenProjectNode, updateProjectNode, type NodeInput } from '@/api/milestones'
import { getWarningColours, getWarnings } from '@/api/warnings'
import type { Colour, Project, ProjectNodeView, Warning } from '@/api/types'
import { todayKey } from './format'
import { useErrorText } from './useErrorText'

type Translate = (key: string, values?: Record<string, unknown>, plural?: number) => string

/** The days beside a node's state, in words: overdue / late / left (the server's count). */
export function nodeDaysText(t: Translate, n: Pick<ProjectNodeView, 'state' | 'days'>): string {
  if (n.days === null || n.days === undefined) return ''
  if (n.state === 'overdue') return t('nodes.daysOverdue', { n: n.days }, n.days)
  if (n.state === 'done_late') return t('nodes.daysLate', { n: n.days }, n.days)
  if (n.state === 'due_soon' || n.state === 'not_due') return n.days === 0 ? t('nodes.dueToday') : t('nodes.daysLeft', { n: n.days }, n.days)
  return ''
}

/** The tag of a node's state: done green, due soon amber, overdue in the colour the node rule gives it. */
export function nodeStateTag(n: Pick<ProjectNodeView, 'state' | 'colour'>): { type: 'success' | 'warning' | 'danger' | 'info'; effect: 'dark' | 'light' | 'plain' } {
  switch (n.state) {
    case 'done_on_time': return { type: 'success', effect: 'light' }
    case 'done_late': return { type: 'success', effect: 'plain' }
    case 'overdue': return { type: n.colour === 'red' ? 'danger' : 'warning', effect: 'dark' }
    case 'due_soon': return { type: 'warning', effect: 'light' }
    default: return { type: 'info', effect: 'plain' }
  }
}

/** After marking a node done on `actual`: the states' date to move to so the node shows done (null: no need). */
export function asOfAfterComplete(asOf: string, actual: string): string | null {
  return asOf && actual > asOf ? actual : null
}

/** The fields of the node form, as typed (dates YYYY-MM-DD or ''). */
export interface NodeForm {
  seq: number | null
  name: string
  planned: string
  unit: string
  person: string
  note: string
}

export function nodeFormOf(n: ProjectNodeView | null, nextSeq: number, project?: Pick<Project, 'unit' | 'person'> | null): NodeForm {
  if (!n) return { seq: nextSeq, name: '', planned: '', unit: project?.unit ?? '', person: project?.person ?? '', note: '' }
  return { seq: n.seq, name: n.name, planned: n.planned ?? '', unit: n.unit, person: n.person, note: n.note }
}

export function nodeInputOf(f: NodeForm): NodeInput {
  return { seq: f.seq ?? undefined, name: f.name.trim(), planned: f.planned || null, unit: f.unit.trim(), person: f.person.trim(), note: f.note }
}

/**
 * A project's 节点 tab: its nodes with their states as of a date (default: the date the warnings are as of,
 * the headline month's end), the project's warnings on that date, and the dialogs that change nodes.
 * `onChanged` runs after every change (the page reloads its history).
 */
export function useProjectNodes(projectId: string, project: () => Project | null, onChanged: () => void = () => {}) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const asOf = ref('')
  const items = shallowRef<ProjectNodeView[]>([])
  const loading = ref(false)
  const error = ref('')
  const colour = ref<Colour | null>(null)
  const warningsAsOf = ref('')
  const warnings = shallowRef<Warning[]>([])
  let seq = 0

  async function loadWarnings() {
    const c = await getWarningColours([Number(projectId)])
    warningsAsOf.value = c.as_of
    colour.value = c.colours[projectId] ?? null
    warnings.value = []
    const p = project()
    if (!colour.value || colour.value === 'green' || !p) return
    // the list narrowed to this project's colour, level and leader: small at any scale
    const r = await getWarnings({ as_of: c.as_of, colour: colour.value, levels: [p.level], leader: p.leader || undefined })
    warnings.value = r.projects.find((x) => String(x.id) === projectId)?.warnings ?? []
  }

  async function load() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      await loadWarnings()
      if (!asOf.value) asOf.value = warningsAsOf.value
      const r = await listProjectNodes(projectId, asOf.value || undefined)
      if (mine !== seq) return
      items.value = r.items
      asOf.value = r.as_of
    } catch (e) {
      if (mine === seq) error.value = errorText(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  function setAsOf(v: string | null) {
    asOf.value = v ?? ''
    void load()
  }
  async function changed() {
    await load()
    onChanged()
  }

  const fieldErrors = reactive<Record<string, string>>({})
  const formError = ref('')
  const saving = ref(false)
  function clearErrors() {
    formError.value = ''
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
  }
  function showError(e: unknown) {
    if (e instanceof ApiError && e.field) fieldErrors[e.field] = errorText(e)
    else formError.value = errorText(e)
  }
  async function submit(run: () => Promise<unknown>, done: string) {
    clearErrors()
    saving.value = true
    try {
      await run()
      ElMessage.success(t(done))
      return true
    } catch (e) {
      showError(e)
      return false
    } finally {
      saving.value = false
    }
  }

  // add / edit
  const formOpen = ref(false)
  const editing = shallowRef<ProjectNodeView | null>(null)
  const form = reactive<NodeForm>(nodeFormOf(null, 1))
  function openForm(n: ProjectNodeView | null) {
    clearErrors()
    editing.value = n
    const next = items.value.reduce((m, x) => Math.max(m, x.seq), 0) + 1
    Object.assign(form, nodeFormOf(n, next, project()))
    formOpen.value = true
  }
  async function saveForm() {
    const n = editing.value
    const input = nodeInputOf(form)
    const ok = await submit(() => (n ? updateProjectNode(projectId, n.id, { ...input, version: n.version }) : createProjectNode(projectId, input)), 'nodes.saved')
    if (!ok) return
    formOpen.value = false
    await changed()
  }

  // mark done
  const completeOpen = ref(false)
  const completing = shallowRef<ProjectNodeView | null>(null)
  const completeForm = reactive({ actual: '', note: '' })
  function openComplete(n: ProjectNodeView) {
    clearErrors()
    completing.value = n
    completeForm.actual = todayKey()
    completeForm.note = n.note
    completeOpen.value = true
  }
  async function saveComplete() {
    const n = completing.value
    if (!n) return
    const ok = await submit(() => completeProjectNode(projectId, n.id, { actual: completeForm.actual ?? '', note: completeForm.note, version: n.version }), 'nodes.completed')
    if (!ok) return
    completeOpen.value = false
    const moved = asOfAfterComplete(asOf.value, completeForm.actual)
    if (moved) {
      asOf.value = moved
      ElMessage.info(t('nodes.afterAsOf', { date: moved }))
    }
    await changed()
  }

  // reopen (the bureau)
  const reopenOpen = ref(false)
  const reopening = shallowRef<ProjectNodeView | null>(null)
  const reopenForm = reactive({ reason: '' })
  function openReopen(n: ProjectNodeView) {
    clearErrors()
    reopening.value = n
    reopenForm.reason = ''
    reopenOpen.value = true
  }
  async function saveReopen() {
    const n = reopening.value
    if (!n) return
    const ok = await submit(() => reopenProjectNode(projectId, n.id, { reason: reopenForm.reason, version: n.version }), 'nodes.reopened')
    if (!ok) return
    reopenOpen.value = false
    await changed()
  }

  async function remove(n: ProjectNodeView) {
    try {
      await ElMessageBox.confirm(t('nodes.deleteConfirm', { name: n.name }), t('nodes.deleteTitle'), {
        type: 'warning',
        confirmButtonText: t('common.delete'),
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: 'el-button--danger',
      })
    } catch {
      return
    }
    try {
      await deleteProjectNode(projectId, n.id, n.version)
      ElMessage.success(t('nodes.deleted'))
      await changed()
    } catch (e) {
      ElMessage.error(errorText(e))
    }
  }

  return {
    asOf, items, loading, error, colour, warningsAsOf, warnings, load, setAsOf,
    fieldErrors, formError, saving,
    formOpen, editing, form, openForm, saveForm,
    completeOpen, completing, completeForm, openComplete, saveComplete,
    reopenOpen, reopening, reopenForm, openReopen, saveReopen,
    remove,
  }
}
