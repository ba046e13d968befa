import { reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { answerInstruction, giveInstruction, listProjectInstructions, type Instruction } from '@/api/instructions'
import { useErrorText } from './useErrorText'

/** "2024-03-28T02:15:00Z" → "2024-03-28 10:15" (Beijing time, as the bureau reads it). */
export function beijingTime(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const b = new Date(d.getTime() + 8 * 3600 * 1000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${b.getUTCFullYear()}-${p(b.getUTCMonth() + 1)}-${p(b.getUTCDate())} ${p(b.getUTCHours())}:${p(b.getUTCMinutes())}`
}

/** A project's 批示: the list (open first, as the server orders them newest first), a new one, an answer. */
export function useInstructions(projectId: () => number) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const items = shallowRef<Instruction[]>([])
  const canGive = ref(false)
  const canAnswer = ref(false)
  const loading = ref(false)
  const error = ref('')
  const text = ref('')
  const textError = ref('')
  const giving = ref(false)
  const answers = reactive<Record<number, string>>({})
  const answerErrors = reactive<Record<number, string>>({})

  async function load() {
    loading.value = true
    error.value = ''
    try {
      const r = await listProjectInstructions(projectId())
      items.value = [...r.items.filter((i) => i.open), ...r.items.filter((i) => !i.open)]
      canGive.value = r.can_give
      canAnswer.value = r.can_answer
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }
  async function give() {
    textError.value = ''
    giving.value = true
    try {
      await giveInstruction(projectId(), text.value)
      text.value = ''
      ElMessage.success(t('instructions.given'))
      await load()
    } catch (e) {
      textError.value = errorText(e)
    } finally {
      giving.value = false
    }
  }
  async function answer(i: Instruction) {
    delete answerErrors[i.id]
    try {
      await answerInstruction(i.id, i.version, answers[i.id] ?? '')
      delete answers[i.id]
      ElMessage.success(t('instructions.answered'))
      await load()
    } catch (e) {
      answerErrors[i.id] = errorText(e)
    }
  }
  return { items, canGive, canAnswer, loading, error, text, textError, giving, answers, answerErrors, load, give, answer }
}
