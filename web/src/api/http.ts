// The one HTTP client of the app: fetch with request/response interceptors.
// Request interceptors add headers (the CSRF token on every non-GET); response interceptors see every
// failed answer (401 → sign-in page, 403 → "no permission"), then the caller gets an ApiError.

export interface RowError {
  sheet?: string
  row: number
  column?: string
  /** 0-based column in the preview's header, -1 for the whole row. */
  col?: number
  reason?: string
  message?: string
}

export interface ErrorBody {
  code?: string
  message?: string
  field?: string
  rows?: RowError[]
  [k: string]: unknown
}

/** A failed API call: HTTP status plus the server's `{"error":{code,message,field}}`. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field?: string
  readonly rows?: RowError[]
  readonly body: ErrorBody
  readonly url: string
  constructor(status: number, body: ErrorBody, url: string) {
    super(body.message || `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code || (status === 0 ? 'network' : `http_${status}`)
    this.field = body.field
    this.rows = body.rows
    this.body = body
    this.url = url
  }
}

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>

export interface RequestOptions {
  query?: Query
  /** JSON body (objects) or raw text (strings, e.g. CSV). */
  body?: unknown
  contentType?: string
  /** Let the caller handle 401/403 itself (no redirect, no global message). */
  quiet?: boolean
  signal?: AbortSignal
}

export interface OutgoingRequest {
  method: string
  url: string
  headers: Record<string, string>
  options: RequestOptions
}

export type RequestInterceptor = (req: OutgoingRequest) => void
export type ErrorInterceptor = (err: ApiError, req: OutgoingRequest) => void

const requestInterceptors: RequestInterceptor[] = []
const errorInterceptors: ErrorInterceptor[] = []

export const interceptors = {
  request: {
    use(fn: RequestInterceptor) {
      requestInterceptors.push(fn)
      return () => requestInterceptors.splice(requestInterceptors.indexOf(fn), 1)
    },
  },
  error: {
    use(fn: ErrorInterceptor) {
      errorInterceptors.push(fn)
      return () => errorInterceptors.splice(errorInterceptors.indexOf(fn), 1)
    },
  },
  clear() {
    requestInterceptors.length = 0
    errorInterceptors.length = 0
  },
}

/** Builds `?a=1&b=x,y`, leaving out empty values. */
export function buildQuery(query?: Query): string {
  if (!query) return ''
  const parts: string[] = []
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    const s = Array.isArray(v) ? v.join(',') : String(v)
    if (Array.isArray(v) && s === '') continue
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(s)}`)
  }
  return parts.length ? `?${parts.join('&')}` : ''
}

export async function request<T>(method: string, url: string, options: RequestOptions = {}): Promise<T> {
  const req: OutgoingRequest = { method: method.toUpperCase(), url: url + buildQuery(options.query), headers: { Accept: 'application/json' }, options }
  let payload: BodyInit | undefined
  if (options.body !== undefined) {
    if (options.body instanceof Blob || options.body instanceof ArrayBuffer) {
      payload = options.body
      req.headers['Content-Type'] = options.contentType ?? ((options.body instanceof Blob && options.body.type) || 'application/octet-stream')
    } else if (typeof options.body === 'string') {
      payload = options.body
      req.headers['Content-Type'] = options.contentType ?? 'text/csv; charset=utf-8'
    } else {
      payload = JSON.stringify(options.body)
      req.headers['Content-Type'] = 'application/json'
    }
  }
  for (const fn of requestInterceptors) fn(req)

  let res: Response
  try {
    res = await fetch(req.url, { method: req.method, headers: req.headers, body: payload, credentials: 'same-origin', signal: options.signal })
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e
    const err = new ApiError(0, { code: 'network', message: (e as Error)?.message }, req.url)
    for (const fn of errorInterceptors) fn(err, req)
    throw err
  }
  const text = await res.text()
  let data: unknown = undefined
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  }
  if (!res.ok) {
    const body: ErrorBody =
      data && typeof data === 'object' && 'error' in (data as object) && typeof (data as { error: unknown }).error === 'object'
        ? ((data as { error: ErrorBody }).error ?? {})
        : { message: typeof data === 'string' ? data.slice(0, 200) : undefined }
    const err = new ApiError(res.status, body, req.url)
    for (const fn of errorInterceptors) fn(err, req)
    throw err
  }
  return data as T
}

/** The file name a download announces: `filename*=UTF-8''…` first, then `filename="…"`. */
export function filenameFromDisposition(header: string | null | undefined, fallback = 'download'): string {
  if (!header) return fallback
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      /* a malformed name: try the plain one */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header)
  return plain ? plain[1].trim() : fallback
}

function errorFromText(status: number, text: string, url: string): ApiError {
  let data: unknown = text
  try {
    data = JSON.parse(text)
  } catch {
    /* not JSON */
  }
  const body: ErrorBody =
    data && typeof data === 'object' && 'error' in (data as object) && typeof (data as { error: unknown }).error === 'object'
      ? ((data as { error: ErrorBody }).error ?? {})
      : { message: typeof data === 'string' ? data.slice(0, 200) : undefined }
  return new ApiError(status, body, url)
}

export interface DownloadedFile {
  blob: Blob
  filename: string
}

/** A file the server sends (an .xlsx export or template): the bytes and the name it announces. */
export async function requestFile(method: string, url: string, options: RequestOptions = {}): Promise<DownloadedFile> {
  const req: OutgoingRequest = { method: method.toUpperCase(), url: url + buildQuery(options.query), headers: { Accept: '*/*' }, options }
  if (options.body !== undefined) req.headers['Content-Type'] = options.contentType ?? 'application/octet-stream'
  for (const fn of requestInterceptors) fn(req)
  let res: Response
  try {
    res = await fetch(req.url, { method: req.method, headers: req.headers, body: options.body as BodyInit | undefined, credentials: 'same-origin', signal: options.signal })
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e
    const err = new ApiError(0, { code: 'network', message: (e as Error)?.message }, req.url)
    for (const fn of errorInterceptors) fn(err, req)
    throw err
  }
  if (!res.ok) {
    const err = errorFromText(res.status, await res.text(), req.url)
    for (const fn of errorInterceptors) fn(err, req)
    throw err
  }
  return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('Content-Disposition')) }
}

/** Hands a file to the browser's downloads. */
export function saveFile(f: DownloadedFile) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(f.blob)
  a.download = f.filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}

export interface UploadOptions extends RequestOptions {
  /** Called as the bytes go out: sent and total (bytes). */
  onProgress?: (sent: number, total: number) => void
}

/**
 * Sends a file as the raw request body with XMLHttpRequest, so the caller sees upload progress;
 * answers the JSON like `request` (the same interceptors, the same ApiError).
 */
export function upload<T>(url: string, file: Blob, options: UploadOptions = {}): Promise<T> {
  const req: OutgoingRequest = { method: 'POST', url: url + buildQuery(options.query), headers: { Accept: 'application/json', 'Content-Type': options.contentType ?? 'application/octet-stream' }, options }
  for (const fn of requestInterceptors) fn(req)
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', req.url)
    xhr.withCredentials = true
    for (const [k, v] of Object.entries(req.headers)) xhr.setRequestHeader(k, v)
    if (options.onProgress) {
      const cb = options.onProgress
      xhr.upload.onprogress = (e) => cb(e.loaded, e.lengthComputable ? e.total : file.size)
    }
    const fail = (err: ApiError) => {
      for (const fn of errorInterceptors) fn(err, req)
      reject(err)
    }
    xhr.onerror = () => fail(new ApiError(0, { code: 'network', message: 'network error' }, req.url))
    xhr.onabort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return fail(errorFromText(xhr.status, xhr.responseText, req.url))
      try {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T)
      } catch {
        resolve(xhr.responseText as T)
      }
    }
    options.signal?.addEventListener('abort', () => xhr.abort())
    xhr.send(file)
  })
}

export const http = {
  get: <T>(url: string, query?: Query, opts: RequestOptions = {}) => request<T>('GET', url, { ...opts, query }),
  post: <T>(url: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', url, { ...opts, body }),
  put: <T>(url: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PUT', url, { ...opts, body }),
  del: <T>(url: string, query?: Query, opts: RequestOptions = {}) => request<T>('DELETE', url, { ...opts, query }),
}
