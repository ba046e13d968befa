import { reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/http'
import { createWebhook, deleteWebhook, listWebhookDeliveries, listWebhooks, updateWebhook } from '@/api/reminders'
import type { Webhook, WebhookDelivery, WebhookInput, WebhookKind } from '@/api/types'
import { useErrorText } from './useErrorText'

export interface WebhookForm {
  name: string
  kind: WebhookKind
  url: string
  /** Typed only to set or change it: the server never sends it back. */
  secret: string
  enabled: boolean
}

export function webhookForm(w: Webhook | null): WebhookForm {
  return { name: w?.name ?? '', kind: w?.kind ?? 'wecom', url: w?.url ?? '', secret: '', enabled: w?.enabled ?? true }
}

/**
 * What is sent for the form: trimmed fields; the secret only when typed (an edit with it left empty keeps
 * the kept one); an edit carries the version it started from.
 */
export function webhookBody(f: WebhookForm, editing: Webhook | null): WebhookInput {
  const body: WebhookInput = { name: f.name.trim(), kind: f.kind, url: f.url.trim(), enabled: f.enabled }
  const secret = f.secret.trim()
  if (secret || !editing) body.secret = secret
  if (editing) body.version = editing.version
  return body
}

/** The robot's name for a delivery row (the id when it was deleted since). */
export function webhookName(hooks: Webhook[], id: number | null): string {
  if (id === null) return ''
  return hooks.find((w) => w.id === id)?.name ?? `#${id}`
}

/** The admin's group robots: list, add, edit, delete, and the delivery log of the queue. */
export function useWebhooks() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const items = shallowRef<Webhook[]>([])
  const loading = ref(false)
  const error = ref('')
  const deliveries = shallowRef<WebhookDelivery[]>([])
  const deliveriesLoading = ref(false)
  const deliveriesError = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      items.value = (await listWebhooks()).items
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }
  async function loadDeliveries() {
    deliveriesLoading.value = true
    deliveriesError.value = ''
    try {
      deliveries.value = (await listWebhookDeliveries()).items
    } catch (e) {
      deliveriesError.value = errorText(e)
    } finally {
      deliveriesLoading.value = false
    }
  }

  const dialog = ref(false)
  const editing = shallowRef<Webhook | null>(null)
  const form = reactive<WebhookForm>(webhookForm(null))
  const fieldErrors = reactive<Record<string, string>>({})
  const formError = ref('')
  const saving = ref(false)
  function clearErrors() {
    formError.value = ''
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
  }
  function open(w: Webhook | null) {
    clearErrors()
    editing.value = w
    Object.assign(form, webhookForm(w))
    dialog.value = true
  }
  async function save() {
    clearErrors()
    saving.value = true
    try {
      const body = webhookBody(form, editing.value)
      if (editing.value) await updateWebhook(editing.value.id, body)
      else await createWebhook(body)
      ElMessage.success(t('webhooks.saved'))
      dialog.value = false
      await load()
    } catch (e) {
      if (e instanceof ApiError && e.field && e.field in form) fieldErrors[e.field] = errorText(e)
      else formError.value = errorText(e)
    } finally {
      saving.value = false
    }
  }
  async function remove(w: Webhook) {
    try {
      await ElMessageBox.confirm(t('webhooks.deleteConfirm', { name: w.name }), t('webhooks.title'), {
        type: 'warning',
        confirmButtonText: t('common.delete'),
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: 'el-button--danger',
      })
    } catch {
      return
    }
    try {
      await deleteWebhook(w.id)
      ElMessage.success(t('webhooks.deleted'))
      await load()
    } catch (e) {
      ElMessage.error(errorText(e))
    }
  }

  return {
    items, loading, error, deliveries, deliveriesLoading, deliveriesError,
    dialog, editing, form, fieldErrors, formError, saving,
    load, loadDeliveries, open, save, remove,
    name: (id: number | null) => webhookName(items.value, id),
  }
}
