import { reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/http'
import { applyNodeTemplate, createNodeTemplate, deleteNodeTemplate, listNodeTemplates, updateNodeTemplate } from '@/api/milestones'
import type { ApplyTemplateResult, NodeTemplate } from '@/api/types'
import { useErrorText } from './useErrorText'

/** The node names typed one a line: trimmed, blank lines dropped, in order. */
export function nodeLines(text: string): string[] {
  return text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean)
}

/** What applying a template did, in one line (and the projects left without dates, if any). */
export function appliedText(t: (k: string, p?: Record<string, unknown>) => string, r: ApplyTemplateResult): string {
  const done = t('templates.applied', { projects: r.projects, nodes: r.nodes_added })
  return r.without_dates.length ? `${done}；${t('templates.withoutDates', { codes: r.without_dates.join('、') })}` : done
}

/** The admin's node templates: list, edit (names one a line), delete, and apply to projects. */
export function useNodeTemplates() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const items = shallowRef<NodeTemplate[]>([])
  const loading = ref(false)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      items.value = (await listNodeTemplates()).items
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  const dialog = ref(false)
  const editing = shallowRef<NodeTemplate | null>(null)
  const form = reactive({ name: '', nodes: '' })
  const fieldErrors = reactive<Record<string, string>>({})
  const formError = ref('')
  const saving = ref(false)
  function clearErrors() {
    formError.value = ''
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
  }
  function open(tpl: NodeTemplate | null) {
    clearErrors()
    editing.value = tpl
    form.name = tpl?.name ?? ''
    form.nodes = tpl ? tpl.nodes.join('\n') : ''
    dialog.value = true
  }
  async function save() {
    clearErrors()
    saving.value = true
    try {
      const body = { name: form.name.trim(), nodes: nodeLines(form.nodes) }
      if (editing.value) await updateNodeTemplate(editing.value.id, { ...body, version: editing.value.version })
      else await createNodeTemplate(body)
      ElMessage.success(t('templates.saved'))
      dialog.value = false
      await load()
    } catch (e) {
      if (e instanceof ApiError && e.field) fieldErrors[e.field] = errorText(e)
      else formError.value = errorText(e)
    } finally {
      saving.value = false
    }
  }
  async function remove(tpl: NodeTemplate) {
    try {
      await ElMessageBox.confirm(t('templates.deleteConfirm', { name: tpl.name }), t('templates.title'), {
        type: 'warning',
        confirmButtonText: t('common.delete'),
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: 'el-button--danger',
      })
    } catch {
      return
    }
    try {
      await deleteNodeTemplate(tpl.id, tpl.version)
      ElMessage.success(t('templates.deleted'))
      await load()
    } catch (e) {
      ElMessage.error(errorText(e))
    }
  }

  // applying a template to projects picked on the list
  const applyOpen = ref(false)
  const applyIds = shallowRef<number[]>([])
  const applyTemplate = ref<number | null>(null)
  const applying = ref(false)
  const applyError = ref('')
  const applied = shallowRef<ApplyTemplateResult | null>(null)
  async function openApply(ids: number[]) {
    if (!ids.length) {
      ElMessage.warning(t('templates.selectFirst'))
      return
    }
    applyIds.value = ids
    applyError.value = ''
    applied.value = null
    applyOpen.value = true
    if (!items.value.length) await load()
    if (applyTemplate.value === null) applyTemplate.value = items.value[0]?.id ?? null
  }
  async function apply() {
    if (applyTemplate.value === null) return
    applying.value = true
    applyError.value = ''
    try {
      applied.value = await applyNodeTemplate(applyTemplate.value, applyIds.value)
      ElMessage.success(t('templates.applied', { projects: applied.value.projects, nodes: applied.value.nodes_added }))
    } catch (e) {
      applyError.value = errorText(e)
    } finally {
      applying.value = false
    }
  }

  return {
    items, loading, error, load,
    dialog, editing, form, fieldErrors, formError, saving, open, save, remove,
    applyOpen, applyIds, applyTemplate, applying, applyError, applied, openApply, apply,
  }
}
