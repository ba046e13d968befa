import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { saveFile, type DownloadedFile } from '@/api/http'
import { useErrorText } from './useErrorText'

/** Runs one server export at a time and hands the .xlsx to the browser under the name the server gives. */
export function useExport() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const exporting = ref(false)
  async function run(get: () => Promise<DownloadedFile>) {
    if (exporting.value) return
    exporting.value = true
    try {
      const f = await get()
      saveFile(f)
      ElMessage.success(t('export.done', { file: f.filename }))
    } catch (e) {
      ElMessage.error(errorText(e))
    } finally {
      exporting.value = false
    }
  }
  return { exporting, run }
}
