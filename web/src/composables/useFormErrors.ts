import { reactive, ref } from 'vue'
import { ApiError } from '@/api/http'
import { useErrorText } from './useErrorText'

/** Field errors of a form: the server's `field` takes its message, anything else is the form's. */
export function useFormErrors() {
  const errorText = useErrorText()
  const fieldErrors = reactive<Record<string, string>>({})
  const formError = ref('')
  function clear() {
    formError.value = ''
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
  }
  function show(e: unknown) {
    if (e instanceof ApiError && e.field) fieldErrors[e.field] = errorText(e)
    else formError.value = errorText(e)
  }
  return { fieldErrors, formError, clear, show }
}
