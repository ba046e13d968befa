#include "domain/photo_codec.h"

#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>
#include <vips/vips.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace kp {
namespace {

constexpr int kThumbQuality = 80;
constexpr double kMicro = 1e6;
// EXIF tags of the GPS IFD (libexif names them EXIF_TAG_GPS_*; the numbers are the standard's).
constexpr ExifTag kGpsLatitudeRef = static_cast<ExifTag>(0x0001);
constexpr ExifTag kGpsLatitude = static_cast<ExifTag>(0x0002);
constexpr ExifTag kGpsLongitudeRef = static_cast<ExifTag>(0x0003);
constexpr ExifTag kGpsLongitude = static_cast<ExifTag>(0x0004);
constexpr ExifTag kGpsVersion = static_cast<ExifTag>(0x0000);

// libvips, once per process: untrusted loaders (ImageMagick, PDF …) blocked, and no operation
// cache (it would keep recent uploads' buffers alive).
void InitVips() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("keyproject") != 0) std::abort();
    vips_block_untrusted_set(TRUE);
    // A corrupt upload is answered with its error; libvips's warnings about it would only be noise.
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
  });
}

// Owns one GObject reference.
struct VipsRef {
  VipsImage* p = nullptr;
  VipsRef() = default;
  VipsRef(const VipsRef&) = delete;
  VipsRef& operator=(const VipsRef&) = delete;
  ~VipsRef() {
    if (p) g_object_unref(p);
  }
  // Replaces the held image with next (taking its reference).
  void Reset(VipsImage* next) {
    if (p) g_object_unref(p);
    p = next;
  }
};

std::string VipsError() {
  std::string e = vips_error_buffer();
  vips_error_clear();
  while (!e.empty() && (e.back() == '\n' || e.back() == ' ')) e.pop_back();
  if (size_t nl = e.find('\n'); nl != std::string::npos) e = e.substr(0, nl);
  return e;
}

Status Unreadable(const std::string& detail) {
  return InvalidArgument("图片已损坏或不完整，无法读取 (the image is corrupt or truncated): " + detail, "file");
}

std::optional<double> Degrees(ExifData* ed, ExifTag tag, ExifTag ref_tag) {
  ExifEntry* e = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], tag);
  ExifEntry* ref = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], ref_tag);
  if (!e || e->format != EXIF_FORMAT_RATIONAL || e->components < 3 || e->size < 24) return std::nullopt;
  const ExifByteOrder order = exif_data_get_byte_order(ed);
  double parts[3];
  for (int i = 0; i < 3; ++i) {
    ExifRational r = exif_get_rational(e->data + 8 * i, order);
    if (r.denominator == 0) return std::nullopt;
    parts[i] = static_cast<double>(r.numerator) / r.denominator;
  }
  double deg = parts[0] + parts[1] / 60 + parts[2] / 3600;
  if (ref && ref->size >= 1 && (ref->data[0] == 'S' || ref->data[0] == 'W')) deg = -deg;
  return deg;
}

std::optional<std::string> ExifTime(ExifData* ed) {
  ExifEntry* e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL);
  if (!e) e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_DATE_TIME);
  if (!e || e->format != EXIF_FORMAT_ASCII || e->size < 19) return std::nullopt;
  std::string s(reinterpret_cast<const char*>(e->data), 19);
  // "YYYY:MM:DD HH:MM:SS"
  for (size_t i = 0; i < s.size(); ++i) {
    const bool sep = i == 4 || i == 7 || i == 10 || i == 13 || i == 16;
    if (!sep && (s[i] < '0' || s[i] > '9')) return std::nullopt;
  }
  if (s.starts_with("0000")) return std::nullopt;
  s[4] = '-';
  s[7] = '-';
  s[10] = 'T';
  return s;
}

ExifEntry* AddEntry(ExifData* ed, ExifIfd ifd, ExifTag tag, ExifFormat format, unsigned long components) {
  ExifMem* mem = exif_mem_new_default();
  ExifEntry* e = exif_entry_new_mem(mem);
  const unsigned int size = exif_format_get_size(format) * components;
  e->data = static_cast<unsigned char*>(exif_mem_alloc(mem, size));
  e->size = size;
  e->tag = tag;
  e->components = components;
  e->format = format;
  exif_content_add_entry(ed->ifd[ifd], e);
  exif_mem_unref(mem);
  exif_entry_unref(e);
  return e;
}

void SetAscii(ExifData* ed, ExifIfd ifd, ExifTag tag, const std::string& text) {
  ExifEntry* e = AddEntry(ed, ifd, tag, EXIF_FORMAT_ASCII, text.size() + 1);
  std::memcpy(e->data, text.c_str(), text.size() + 1);
}

void SetDegrees(ExifData* ed, ExifTag tag, ExifTag ref_tag, double value, const char* pos, const char* neg) {
  SetAscii(ed, EXIF_IFD_GPS, ref_tag, value < 0 ? neg : pos);
  const double v = std::fabs(value);
  const ExifRational parts[3] = {{static_cast<ExifLong>(v), 1},
                                 {static_cast<ExifLong>(std::fmod(v * 60, 60)), 1},
                                 {static_cast<ExifLong>(std::llround(std::fmod(v * 3600, 60) * 10000)), 10000}};
  ExifEntry* e = AddEntry(ed, EXIF_IFD_GPS, tag, EXIF_FORMAT_RATIONAL, 3);
  for (int i = 0; i < 3; ++i) exif_set_rational(e->data + 8 * i, exif_data_get_byte_order(ed), parts[i]);
}

// An EXIF block ("Exif\0\0" + TIFF) with the spec's time, GPS and orientation.
std::string MakeExif(const SyntheticPhoto& spec) {
  ExifData* ed = exif_data_new();
  exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
  exif_data_set_data_type(ed, EXIF_DATA_TYPE_COMPRESSED);
  ExifEntry* o = AddEntry(ed, EXIF_IFD_0, EXIF_TAG_ORIENTATION, EXIF_FORMAT_SHORT, 1);
  exif_set_short(o->data, EXIF_BYTE_ORDER_INTEL, static_cast<ExifShort>(spec.orientation));
  if (spec.taken_at) {
    std::string t = *spec.taken_at;
    if (t.size() >= 19) {
      t[4] = ':';
      t[7] = ':';
      t[10] = ' ';
      SetAscii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, t.substr(0, 19));
    }
  }
  if (spec.lat && spec.lon) {
    ExifEntry* v = AddEntry(ed, EXIF_IFD_GPS, kGpsVersion, EXIF_FORMAT_BYTE, 4);
    const unsigned char version[4] = {2, 2, 0, 0};
    std::memcpy(v->data, version, 4);
    SetDegrees(ed, kGpsLatitude, kGpsLatitudeRef, *spec.lat, "N", "S");
    SetDegrees(ed, kGpsLongitude, kGpsLongitudeRef, *spec.lon, "E", "W");
  }
  unsigned char* buf = nullptr;
  unsigned int len = 0;
  exif_data_save_data(ed, &buf, &len);
  std::string out(reinterpret_cast<const char*>(buf), len);
  std::free(buf);
  exif_data_unref(ed);
  return out;
}

}  // namespace

std::optional<std::string> SniffPhotoType(std::string_view b) {
  auto at = [&](size_t off, std::string_view magic) { return b.size() >= off + magic.size() && b.substr(off, magic.size()) == magic; };
  if (at(0, "\xFF\xD8\xFF")) return "image/jpeg";
  if (at(0, "\x89PNG\r\n\x1A\n")) return "image/png";
  if (at(0, "RIFF") && at(8, "WEBP")) return "image/webp";
  if (at(4, "ftyp")) {
    for (std::string_view brand : {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"}) {
      if (at(8, brand)) return "image/heic";
    }
  }
  return std::nullopt;
}

void ReadExif(std::string_view exif, PhotoInfo& into) {
  ExifData* ed = exif_data_new_from_data(reinterpret_cast<const unsigned char*>(exif.data()),
                                         static_cast<unsigned int>(exif.size()));
  if (!ed) return;
  into.taken_at = ExifTime(ed);
  auto lat = Degrees(ed, kGpsLatitude, kGpsLatitudeRef);
  auto lon = Degrees(ed, kGpsLongitude, kGpsLongitudeRef);
  if (lat && lon && std::fabs(*lat) <= 90 && std::fabs(*lon) <= 180) {
    into.lat_e6 = std::llround(*lat * kMicro);
    into.lon_e6 = std::llround(*lon * kMicro);
  }
  exif_data_unref(ed);
}

Result<ProcessedPhoto> ProcessPhoto(std::string_view bytes, int64_t max_pixels, int thumb_size) {
  InitVips();
  ProcessedPhoto out;
  auto mime = SniffPhotoType(bytes);
  if (!mime) {
    return InvalidArgument("不是支持的图片：只收 JPEG、PNG、HEIC、WebP (not a JPEG, PNG, HEIC or WebP image)", "file");
  }
  out.info.mime = *mime;
  void* data = const_cast<char*>(bytes.data());
  const size_t len = bytes.size();
  VipsRef img;
  int rc = 0;
  if (*mime == "image/jpeg") {
    rc = vips_jpegload_buffer(data, len, &img.p, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
  } else if (*mime == "image/png") {
    rc = vips_pngload_buffer(data, len, &img.p, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
  } else if (*mime == "image/webp") {
    rc = vips_webpload_buffer(data, len, &img.p, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
  } else {
    rc = vips_heifload_buffer(data, len, &img.p, "fail_on", VIPS_FAIL_ON_TRUNCATED, nullptr);
  }
  if (rc != 0) return Unreadable(VipsError());
  const int w = vips_image_get_width(img.p), h = vips_image_get_height(img.p);
  if (w <= 0 || h <= 0 || static_cast<int64_t>(w) * h > max_pixels) {
    return InvalidArgument("图片尺寸过大 (the image is too large): " + std::to_string(w) + "×" + std::to_string(h) +
                               " 像素，上限 " + std::to_string(max_pixels / 1'000'000) + " 百万像素 (at most " +
                               std::to_string(max_pixels / 1'000'000) + " megapixels)",
                           "file");
  }
  int orientation = 1;
  if (vips_image_get_typeof(img.p, VIPS_META_ORIENTATION)) vips_image_get_int(img.p, VIPS_META_ORIENTATION, &orientation);
  const bool swap = orientation >= 5 && orientation <= 8;
  out.info.width = swap ? h : w;
  out.info.height = swap ? w : h;
  if (vips_image_get_typeof(img.p, VIPS_META_EXIF_NAME)) {
    const void* exif = nullptr;
    size_t exif_len = 0;
    if (vips_image_get_blob(img.p, VIPS_META_EXIF_NAME, &exif, &exif_len) == 0 && exif_len > 0) {
      ReadExif(std::string_view(static_cast<const char*>(exif), exif_len), out.info);
    }
  }
  // The thumbnail decodes every pixel (shrinking while it loads, where the format allows), upright.
  VipsRef thumb;
  if (vips_thumbnail_buffer(data, len, &thumb.p, thumb_size, "height", thumb_size, "option_string",
                            "fail_on=truncated", nullptr) != 0) {
    return Unreadable(VipsError());
  }
  void* buf = nullptr;
  size_t buf_len = 0;
  if (vips_jpegsave_buffer(thumb.p, &buf, &buf_len, "Q", kThumbQuality, "strip", TRUE, nullptr) != 0) {
    return Unreadable(VipsError());
  }
  out.thumb_jpeg.assign(static_cast<const char*>(buf), buf_len);
  g_free(buf);
  return out;
}

Result<std::string> MakeSyntheticPhoto(const SyntheticPhoto& spec) {
  InitVips();
  const int w = spec.width, h = spec.height;
  VipsRef black;
  if (vips_black(&black.p, w, h, "bands", 3, nullptr) != 0) return Internal(VipsError());
  VipsImage* canvas = vips_image_copy_memory(black.p);
  if (!canvas) return Internal(VipsError());
  VipsRef pic;
  pic.p = canvas;
  // A building site: sky, ground, a half-built block with a crane.
  const int s = spec.seed;
  double sky[3] = {120.0 + (s * 37) % 60, 170.0 + (s * 11) % 40, 230};
  double ground[3] = {150.0 + (s * 13) % 40, 120, 80};
  double block[3] = {200, 200.0 - (s * 7) % 60, 190};
  double crane[3] = {240, 190, 30};
  vips_draw_rect(canvas, sky, 3, 0, 0, w, h * 3 / 5, "fill", TRUE, nullptr);
  vips_draw_rect(canvas, ground, 3, 0, h * 3 / 5, w, h - h * 3 / 5, "fill", TRUE, nullptr);
  const int floors = 2 + s % 6;
  const int bw = w / 4, bh = std::min(h / 2, floors * h / 16);
  vips_draw_rect(canvas, block, 3, w / 3, h * 3 / 5 - bh, bw, bh, "fill", TRUE, nullptr);
  vips_draw_rect(canvas, crane, 3, w * 2 / 3, h / 8, std::max(2, w / 80), h * 3 / 5 - h / 8, "fill", TRUE, nullptr);
  vips_draw_rect(canvas, crane, 3, w / 2, h / 8, w / 4, std::max(2, h / 80), "fill", TRUE, nullptr);
  if (spec.noise) {
    VipsRef noise, sum, cast;
    if (vips_gaussnoise(&noise.p, w, h, "sigma", 40.0, "mean", 0.0, "seed", s, nullptr) != 0) return Internal(VipsError());
    if (vips_add(pic.p, noise.p, &sum.p, nullptr) != 0) return Internal(VipsError());
    if (vips_cast_uchar(sum.p, &cast.p, nullptr) != 0) return Internal(VipsError());
    pic.Reset(cast.p);
    cast.p = nullptr;
  }
  VipsRef out;
  if (vips_copy(pic.p, &out.p, nullptr) != 0) return Internal(VipsError());
  void* buf = nullptr;
  size_t len = 0;
  int rc = 0;
  if (spec.format == "png") {
    rc = vips_pngsave_buffer(out.p, &buf, &len, "compression", 1, nullptr);
  } else if (spec.format == "webp") {
    rc = vips_webpsave_buffer(out.p, &buf, &len, "Q", spec.quality, nullptr);
  } else if (spec.format == "heic") {
    rc = vips_heifsave_buffer(out.p, &buf, &len, "Q", spec.quality, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC,
                              nullptr);
  } else {
    const std::string exif = MakeExif(spec);
    vips_image_set_blob_copy(out.p, VIPS_META_EXIF_NAME, exif.data(), exif.size());
    vips_image_set_int(out.p, VIPS_META_ORIENTATION, spec.orientation);
    rc = vips_jpegsave_buffer(out.p, &buf, &len, "Q", spec.quality, nullptr);
  }
  if (rc != 0) return Internal(VipsError());
  std::string bytes(static_cast<const char*>(buf), len);
  g_free(buf);
  return bytes;
}

}  // namespace kp
