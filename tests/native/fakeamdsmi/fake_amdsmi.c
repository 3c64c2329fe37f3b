/*
 * fake_amdsmi: a stand-in for libamd_smi.so.24/.25/.26 that zeusd's tests load through the daemon's real loader
 * (AMDSMI_LIB_DIR / ROCM_PATH pointing at a directory holding copies of this library under the real file names).
 * It exports the 15 AMD SMI functions zeusd resolves, with the C prototypes and the per-ABI struct layouts of the
 * ROCm 6.3 (ABI 24), 6.4 (ABI 25) and 7.x (ABI 26) headers, mimics the real library's argument checks and
 * NOT_INIT rule, and lets a test configure GPUs, inject faults, delay or hang calls, and read back every call.
 * The design is /work/shared/spec/amd-smi.md section 6.
 *
 * Configuration: FAKE_AMDSMI_CONFIG=<file> of "key=value" lines ('#' starts a comment). Static keys are applied
 * on the first call; dynamic keys are looked up on use and the file is re-read whenever its inode, size or mtime
 * changes (checked at every call entry and every 10 ms while a call hangs). fake_amdsmi_set(key, value) applies a
 * key in-process with the same effect; it wins over the file.
 *
 *   abi                        24, 25 or 26 (default: the .so.NN suffix of this file's name, else 26)
 *   version                    reported library version (default 24.7.1.0 / 25.25.3.0 / 26.2.0)
 *   version_status (D)         status of amdsmi_get_lib_version          init_status   status of amdsmi_init
 *   gpus                       number of GPUs (default 2, at most 64)
 *   layout                     per_gpu (one socket per GPU, default) or single; gpu.N.socket=k places one GPU
 *   gpu.N.name                 market name (\xNN escapes allowed); gpu.N.name_nonul=1: 256 bytes without a NUL
 *   gpu.N.bdf                  dddd:bb:dd.f or a raw 0x... u64 (default 0000:<N+0x10>:00.0)
 *   gpu.N.current_w/average_w (D)  socket power in W (default 100/100); 0xFFFF or 0xFFFFFFFF = N/A
 *   gpu.N.cap_uw, default_cap_uw, min_cap_uw, max_cap_uw, dpm_cap   power cap info
 *   gpu.N.gfx / gpu.N.mem      default clock range "lo,hi" (500,2100 / 900,1300); gpu.N.gfx_hw / mem_hw bounds
 *   gpu.N.gfx_cur / mem_cur    current clock (1500 / 1300)
 *   live.gpu.N.gfx / mem (D)   when the value changes, the live range is overwritten (a change outside zeusd)
 *   gpu.N.energy (D)           track (default) | seq:v0,v1,... | unsupported
 *   gpu.N.energy_w/_scale/_resolution/_start (D)   the track model (W, factor, uJ per count, start count)
 *   enforce_clk_order, clk_order_status, enforce_cap_range, poison     (1, 1, 1, 1)
 *   status_string (D)          table | fail | null; status_string.<code>=text overrides one entry
 *   short_list.<fn> (D)        a handle list call with a buffer returns at most this many (a shrinking list)
 *   fail.<fn>[.<gpu>]=<status>[:skip=M][:count=N]   (D) the call returns status without side effects
 *   delay.<fn>[.<gpu>]=<ms>                          (D) sleep before doing the work
 *   hang.<fn>[.<gpu>]=forever|<ms>[:skip=M][:count=N] (D) block (10 ms steps) until the rule goes or time passes
 *   abort_on_overlap=1                               (D) abort() when two calls are ever in flight at once
 *
 * Observability: FAKE_AMDSMI_LOG=<file> gets one line per call,
 *   "<seq> <tid> <t_start_ns> <t_end_ns> <fn> gpu=<i|-> <args...> -> <status>"
 * and FAKE_AMDSMI_STATS=<file> is rewritten (atomically) after every call and whenever a call starts hanging, as
 * "name value" lines: calls.<fn>, init_calls, shutdown_calls, in_flight, max_in_flight, overlaps, hung_now,
 * perf.<gpu>, cap.<gpu>, gfx_lo/gfx_hi/mem_lo/mem_hi.<gpu>. fake_amdsmi_stat(name) reads one in-process.
 *
 * Each export is wrapped in #ifndef FAKE_OMIT_<symbol>, so a variant can lack a symbol (ROCm 6.2 lacks
 * amdsmi_set_gpu_clk_limit).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* ---- amdsmi.h ABI ----------------------------------------------------------------------------------------- */

typedef uint32_t amdsmi_status_t;
enum {
    AMDSMI_STATUS_SUCCESS = 0,
    AMDSMI_STATUS_INVAL = 1,
    AMDSMI_STATUS_NOT_SUPPORTED = 2,
    AMDSMI_STATUS_NO_PERM = 10,
    AMDSMI_STATUS_NOT_INIT = 32,
    AMDSMI_STATUS_UNKNOWN_ERROR = 0xFFFFFFFFu,
};
typedef void *amdsmi_processor_handle;
typedef void *amdsmi_socket_handle;

enum { CLK_TYPE_SYS = 0, CLK_TYPE_MEM = 4 };
enum { CLK_LIMIT_MIN = 0, CLK_LIMIT_MAX = 1 };
enum { PERF_AUTO = 0, PERF_MANUAL = 3, PERF_DETERMINISM = 8, PERF_UNKNOWN = 0x100 };

typedef struct {
    uint32_t year, major, minor, release;
    const char *build;
} version_v24_t; /* ABI 24 and 25 */
typedef struct {
    uint32_t major, minor, release;
    const char *build;
} version_v26_t;

typedef struct {
    uint32_t current_socket_power, average_socket_power;
    uint32_t gfx_voltage, soc_voltage, mem_voltage;
    uint32_t power_limit;
    uint32_t reserved[11];
} power_info_v24_t;
typedef struct {
    uint64_t socket_power;
    uint32_t current_socket_power, average_socket_power;
    uint32_t gfx_voltage, soc_voltage, mem_voltage;
    uint32_t power_limit;
    uint32_t reserved[2];
} power_info_v25_t;
typedef struct {
    uint64_t socket_power;
    uint32_t current_socket_power, average_socket_power;
    uint64_t gfx_voltage, soc_voltage, mem_voltage;
    uint32_t power_limit;
    uint64_t reserved[18];
} power_info_v26_t;

typedef struct {
    uint64_t power_cap, default_power_cap, dpm_cap, min_power_cap, max_power_cap;
    uint64_t reserved[3];
} power_cap_info_t;

typedef struct {
    uint32_t clk, min_clk, max_clk;
    uint8_t clk_locked, clk_deep_sleep;
    uint32_t reserved[4];
} clk_info_t;

typedef struct {
    char market_name[256];
    uint32_t vendor_id;
    char vendor_name[64];
    uint32_t subvendor_id;
    uint64_t device_id;
    uint32_t rev_id;
    char asic_serial[32];
    uint32_t oam_id;
    uint32_t num_of_compute_units;
    uint64_t target_graphics_version;
    uint32_t reserved[15];
} asic_info_v24_t;
typedef struct {
    char market_name[256];
    uint32_t vendor_id;
    char vendor_name[256];
    uint32_t subvendor_id;
    uint64_t device_id;
    uint32_t rev_id;
    char asic_serial[256];
    uint32_t oam_id;
    uint32_t num_of_compute_units;
    uint64_t target_graphics_version;
    uint32_t reserved[22];
} asic_info_v25_t;
typedef struct {
    char market_name[256];
    uint32_t vendor_id;
    char vendor_name[256];
    uint32_t subvendor_id;
    uint64_t device_id;
    uint32_t rev_id;
    char asic_serial[256];
    uint32_t oam_id;
    uint32_t num_of_compute_units;
    uint64_t target_graphics_version;
    uint32_t subsystem_id;
    uint32_t reserved[21];
} asic_info_v26_t;

/* The sizes and offsets of the spec's section 2.3, so a layout mistake in the fake cannot hide one in zeusd. */
_Static_assert(sizeof(version_v24_t) == 24 && offsetof(version_v24_t, build) == 16, "amdsmi_version_t ABI 24/25");
_Static_assert(sizeof(version_v26_t) == 24 && offsetof(version_v26_t, build) == 16, "amdsmi_version_t ABI 26");
_Static_assert(sizeof(power_info_v24_t) == 68 && offsetof(power_info_v24_t, average_socket_power) == 4
               && offsetof(power_info_v24_t, power_limit) == 20 && offsetof(power_info_v24_t, reserved) == 24,
               "amdsmi_power_info_t ABI 24");
_Static_assert(sizeof(power_info_v25_t) == 40 && offsetof(power_info_v25_t, current_socket_power) == 8
               && offsetof(power_info_v25_t, average_socket_power) == 12 && offsetof(power_info_v25_t, power_limit) == 28
               && offsetof(power_info_v25_t, reserved) == 32, "amdsmi_power_info_t ABI 25");
_Static_assert(sizeof(power_info_v26_t) == 192 && offsetof(power_info_v26_t, current_socket_power) == 8
               && offsetof(power_info_v26_t, average_socket_power) == 12 && offsetof(power_info_v26_t, gfx_voltage) == 16
               && offsetof(power_info_v26_t, power_limit) == 40 && offsetof(power_info_v26_t, reserved) == 48,
               "amdsmi_power_info_t ABI 26");
_Static_assert(sizeof(power_cap_info_t) == 64 && offsetof(power_cap_info_t, min_power_cap) == 24
               && offsetof(power_cap_info_t, max_power_cap) == 32, "amdsmi_power_cap_info_t");
_Static_assert(sizeof(clk_info_t) == 32 && offsetof(clk_info_t, clk_locked) == 12 && offsetof(clk_info_t, reserved) == 16,
               "amdsmi_clk_info_t");
_Static_assert(sizeof(asic_info_v24_t) == 456 && offsetof(asic_info_v24_t, device_id) == 328
               && offsetof(asic_info_v24_t, target_graphics_version) == 384, "amdsmi_asic_info_t ABI 24");
_Static_assert(sizeof(asic_info_v25_t) == 896 && offsetof(asic_info_v25_t, asic_serial) == 532
               && offsetof(asic_info_v25_t, target_graphics_version) == 800, "amdsmi_asic_info_t ABI 25");
_Static_assert(sizeof(asic_info_v26_t) == 896 && offsetof(asic_info_v26_t, subsystem_id) == 808, "amdsmi_asic_info_t ABI 26");
_Static_assert(sizeof(uint64_t) == 8, "amdsmi_bdf_t");

/* ---- configuration store ---------------------------------------------------------------------------------- */

#define MAX_GPUS 64
#define MAX_KEYS 512
#define KEY_LEN 96
#define VALUE_LEN 512

typedef struct {
    char key[KEY_LEN];
    char value[VALUE_LEN];
} entry_t;

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER; /* guards everything below; never held while sleeping */
static entry_t file_entries[MAX_KEYS];
static int file_count;
static entry_t set_entries[MAX_KEYS]; /* fake_amdsmi_set; wins over the file */
static int set_count;
static struct stat config_stat;
static int config_seen;
static int static_applied;

/* strlcpy: truncates silently, always NUL-terminates. */
static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) {
        s[--n] = '\0';
    }
    size_t lead = strspn(s, " \t");
    if (lead > 0) {
        memmove(s, s + lead, n - lead + 1);
    }
}

/* Re-reads the configuration file if it changed. Call with state_lock held. */
static void reload_locked(void)
{
    const char *path = getenv("FAKE_AMDSMI_CONFIG");
    if (path == NULL || *path == '\0') {
        return;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        if (config_seen) {
            file_count = 0;
            config_seen = 0;
        }
        return;
    }
    if (config_seen && st.st_ino == config_stat.st_ino && st.st_size == config_stat.st_size
        && st.st_mtim.tv_sec == config_stat.st_mtim.tv_sec && st.st_mtim.tv_nsec == config_stat.st_mtim.tv_nsec) {
        return;
    }
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return;
    }
    config_stat = st;
    config_seen = 1;
    file_count = 0;
    char line[KEY_LEN + VALUE_LEN + 8];
    while (fgets(line, sizeof line, f) != NULL && file_count < MAX_KEYS) {
        char *hash = strchr(line, '#');
        if (hash != NULL) {
            *hash = '\0';
        }
        char *eq = strchr(line, '=');
        if (eq == NULL) {
            continue;
        }
        *eq = '\0';
        entry_t *e = &file_entries[file_count];
        copy_str(e->key, sizeof e->key, line);
        copy_str(e->value, sizeof e->value, eq + 1);
        trim(e->key);
        trim(e->value);
        if (e->key[0] != '\0') {
            file_count++;
        }
    }
    fclose(f);
}

/* The value of key, or NULL. Call with state_lock held; the pointer is valid until the next reload. */
static const char *cfg(const char *key)
{
    for (int i = set_count - 1; i >= 0; i--) {
        if (strcmp(set_entries[i].key, key) == 0 && set_entries[i].value[0] != '\0') {
            return set_entries[i].value; /* an empty value removes the in-process key */
        }
    }
    for (int i = file_count - 1; i >= 0; i--) {
        if (strcmp(file_entries[i].key, key) == 0) {
            return file_entries[i].value;
        }
    }
    return NULL;
}

static const char *cfgf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static const char *cfgf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return cfg(buf);
}

static uint64_t parse_u64(const char *s, uint64_t fallback)
{
    if (s == NULL || *s == '\0') {
        return fallback;
    }
    char *end;
    errno = 0;
    double d;
    uint64_t v = strtoull(s, &end, 0);
    if (*end == 'e' || *end == 'E' || *end == '.') { /* 750e6 */
        d = strtod(s, &end);
        return (uint64_t)d;
    }
    return errno == 0 ? v : fallback;
}

static double parse_double(const char *s, double fallback)
{
    if (s == NULL || *s == '\0') {
        return fallback;
    }
    char *end;
    double d = strtod(s, &end);
    return end == s ? fallback : d;
}

static void parse_range(const char *s, uint32_t *lo, uint32_t *hi)
{
    if (s == NULL) {
        return;
    }
    unsigned int a, b;
    if (sscanf(s, "%u,%u", &a, &b) == 2) {
        *lo = a;
        *hi = b;
    }
}

/* ---- the fake node ---------------------------------------------------------------------------------------- */

typedef struct {
    int index;
    int socket;
    char name[257];
    int name_nonul;
    uint64_t bdf;
    uint64_t cap_uw, default_cap_uw, min_cap_uw, max_cap_uw, dpm_cap;
    uint32_t gfx_def_lo, gfx_def_hi, mem_def_lo, mem_def_hi;
    uint32_t gfx_hw_lo, gfx_hw_hi, mem_hw_lo, mem_hw_hi;
    uint32_t gfx_cur, mem_cur;
    /* live state */
    uint32_t gfx_lo, gfx_hi, mem_lo, mem_hi;
    uint32_t perf;
    char live_gfx_seen[64], live_mem_seen[64];
    /* energy model */
    double energy_counts;
    uint64_t energy_last_ns;
    char energy_seq_seen[VALUE_LEN];
    int energy_seq_index;
} gpu_t;

typedef struct {
    int index;
} socket_t;

static gpu_t gpus[MAX_GPUS];
static socket_t sockets[MAX_GPUS];
static int gpu_count = 2;
static int socket_count;
static int abi = 26;
static uint32_t ver_year, ver_major, ver_minor, ver_release;
static int initialized;
static uint32_t init_status;
static int poison = 1;
static int enforce_clk_order = 1, enforce_cap_range = 1;
static uint32_t clk_order_status = 1;

/* statistics */
#define MAX_FNS 16
static const char *fn_names[MAX_FNS];
static int64_t fn_calls[MAX_FNS];
static int fn_known;
static int64_t init_calls, shutdown_calls, in_flight, max_in_flight, overlaps, hung_now;
static uint64_t log_seq;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* per-rule match counters for fail./hang. skip and count */
typedef struct {
    char key[KEY_LEN];
    char value[VALUE_LEN];
    int64_t matched;
} rule_counter_t;
static rule_counter_t rule_counters[128];
static int rule_counter_count;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(uint64_t ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int abi_from_own_name(void)
{
    Dl_info info;
    if (dladdr((void *)&abi_from_own_name, &info) != 0 && info.dli_fname != NULL) {
        const char *dot = strstr(info.dli_fname, ".so.");
        if (dot != NULL) {
            int n = atoi(dot + 4);
            if (n == 24 || n == 25 || n == 26) {
                return n;
            }
        }
    }
    return 26;
}

static void parse_bdf(const char *s, uint64_t *out)
{
    if (s == NULL) {
        return;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        *out = strtoull(s, NULL, 16);
        return;
    }
    unsigned long long domain;
    unsigned int bus, dev, fn;
    if (sscanf(s, "%llx:%x:%x.%x", &domain, &bus, &dev, &fn) == 4) {
        *out = (domain << 16) | ((uint64_t)(bus & 0xff) << 8) | ((uint64_t)(dev & 0x1f) << 3) | (fn & 7);
    }
}

/* Copies a name with \xNN escapes decoded. */
static void decode_name(const char *s, char *out, size_t size)
{
    size_t n = 0;
    while (*s != '\0' && n + 1 < size) {
        if (s[0] == '\\' && s[1] == 'x' && s[2] != '\0' && s[3] != '\0') {
            char hex[3] = { s[2], s[3], '\0' };
            out[n++] = (char)strtoul(hex, NULL, 16);
            s += 4;
        } else {
            out[n++] = *s++;
        }
    }
    out[n] = '\0';
}

static void apply_static_locked(void)
{
    if (static_applied) {
        return;
    }
    static_applied = 1;
    char k[KEY_LEN];
    const char *v = cfg("abi");
    abi = v != NULL ? atoi(v) : abi_from_own_name();
    if (abi != 24 && abi != 25 && abi != 26) {
        abi = 26;
    }
    v = cfg("version");
    const char *def = abi == 24 ? "24.7.1.0" : abi == 25 ? "25.25.3.0" : "26.2.0";
    unsigned int p[4] = { 0, 0, 0, 0 };
    int parts = sscanf(v != NULL ? v : def, "%u.%u.%u.%u", &p[0], &p[1], &p[2], &p[3]);
    if (abi == 26) {
        ver_year = 0;
        ver_major = p[0];
        ver_minor = p[1];
        ver_release = p[2];
    } else if (parts >= 4) {
        ver_year = p[0];
        ver_major = p[1];
        ver_minor = p[2];
        ver_release = p[3];
    } else {
        ver_year = p[0];
        ver_major = p[0];
        ver_minor = p[1];
        ver_release = p[2];
    }
    init_status = (uint32_t)parse_u64(cfg("init_status"), 0);
    gpu_count = (int)parse_u64(cfg("gpus"), 2);
    if (gpu_count < 0 || gpu_count > MAX_GPUS) {
        gpu_count = MAX_GPUS;
    }
    poison = (int)parse_u64(cfg("poison"), 1);
    enforce_clk_order = (int)parse_u64(cfg("enforce_clk_order"), 1);
    enforce_cap_range = (int)parse_u64(cfg("enforce_cap_range"), 1);
    clk_order_status = (uint32_t)parse_u64(cfg("clk_order_status"), 1);
    const char *layout = cfg("layout");
    int single = layout != NULL && strcmp(layout, "single") == 0;
    socket_count = 0;
    for (int i = 0; i < gpu_count; i++) {
        gpu_t *g = &gpus[i];
        memset(g, 0, sizeof *g);
        g->index = i;
        g->socket = single ? 0 : i;
        v = cfgf(k, sizeof k, "gpu.%d.socket", i);
        if (v != NULL) {
            g->socket = atoi(v);
        }
        if (g->socket < 0 || g->socket >= MAX_GPUS) {
            g->socket = 0;
        }
        if (g->socket + 1 > socket_count) {
            socket_count = g->socket + 1;
        }
        decode_name((v = cfgf(k, sizeof k, "gpu.%d.name", i)) != NULL ? v : "AMD Instinct MI300X", g->name, sizeof g->name);
        g->name_nonul = (int)parse_u64(cfgf(k, sizeof k, "gpu.%d.name_nonul", i), 0);
        g->bdf = ((uint64_t)(i + 0x10) << 8);
        parse_bdf(cfgf(k, sizeof k, "gpu.%d.bdf", i), &g->bdf);
        g->cap_uw = parse_u64(cfgf(k, sizeof k, "gpu.%d.cap_uw", i), 750000000ull);
        g->default_cap_uw = parse_u64(cfgf(k, sizeof k, "gpu.%d.default_cap_uw", i), 750000000ull);
        g->min_cap_uw = parse_u64(cfgf(k, sizeof k, "gpu.%d.min_cap_uw", i), 100000000ull);
        g->max_cap_uw = parse_u64(cfgf(k, sizeof k, "gpu.%d.max_cap_uw", i), 750000000ull);
        g->dpm_cap = parse_u64(cfgf(k, sizeof k, "gpu.%d.dpm_cap", i), 2100);
        g->gfx_def_lo = 500;
        g->gfx_def_hi = 2100;
        g->mem_def_lo = 900;
        g->mem_def_hi = 1300;
        parse_range(cfgf(k, sizeof k, "gpu.%d.gfx", i), &g->gfx_def_lo, &g->gfx_def_hi);
        parse_range(cfgf(k, sizeof k, "gpu.%d.mem", i), &g->mem_def_lo, &g->mem_def_hi);
        g->gfx_hw_lo = g->mem_hw_lo = 100;
        g->gfx_hw_hi = g->mem_hw_hi = 3000;
        parse_range(cfgf(k, sizeof k, "gpu.%d.gfx_hw", i), &g->gfx_hw_lo, &g->gfx_hw_hi);
        parse_range(cfgf(k, sizeof k, "gpu.%d.mem_hw", i), &g->mem_hw_lo, &g->mem_hw_hi);
        g->gfx_cur = (uint32_t)parse_u64(cfgf(k, sizeof k, "gpu.%d.gfx_cur", i), 1500);
        g->mem_cur = (uint32_t)parse_u64(cfgf(k, sizeof k, "gpu.%d.mem_cur", i), 1300);
        g->gfx_lo = g->gfx_def_lo;
        g->gfx_hi = g->gfx_def_hi;
        g->mem_lo = g->mem_def_lo;
        g->mem_hi = g->mem_def_hi;
        g->perf = PERF_AUTO;
    }
    for (int s = 0; s < socket_count; s++) {
        sockets[s].index = s;
    }
}

/* ---- statistics and the call log -------------------------------------------------------------------------- */

static int64_t *fn_counter_locked(const char *fn)
{
    for (int i = 0; i < fn_known; i++) {
        if (strcmp(fn_names[i], fn) == 0) {
            return &fn_calls[i];
        }
    }
    if (fn_known < MAX_FNS) {
        fn_names[fn_known] = fn;
        return &fn_calls[fn_known++];
    }
    static int64_t overflow;
    return &overflow;
}

static int64_t stat_locked(const char *name)
{
    if (strncmp(name, "calls.", 6) == 0) {
        for (int i = 0; i < fn_known; i++) {
            if (strcmp(fn_names[i], name + 6) == 0) {
                return fn_calls[i];
            }
        }
        return 0;
    }
    if (strcmp(name, "init_calls") == 0) return init_calls;
    if (strcmp(name, "shutdown_calls") == 0) return shutdown_calls;
    if (strcmp(name, "in_flight") == 0) return in_flight;
    if (strcmp(name, "max_in_flight") == 0) return max_in_flight;
    if (strcmp(name, "overlaps") == 0) return overlaps;
    if (strcmp(name, "hung_now") == 0) return hung_now;
    const char *dot = strrchr(name, '.');
    if (dot == NULL) {
        return -1;
    }
    int i = atoi(dot + 1);
    if (i < 0 || i >= gpu_count) {
        return -1;
    }
    size_t n = (size_t)(dot - name);
    gpu_t *g = &gpus[i];
    if (strncmp(name, "perf", n) == 0 && n == 4) return g->perf;
    if (strncmp(name, "cap", n) == 0 && n == 3) return (int64_t)g->cap_uw;
    if (strncmp(name, "gfx_lo", n) == 0 && n == 6) return g->gfx_lo;
    if (strncmp(name, "gfx_hi", n) == 0 && n == 6) return g->gfx_hi;
    if (strncmp(name, "mem_lo", n) == 0 && n == 6) return g->mem_lo;
    if (strncmp(name, "mem_hi", n) == 0 && n == 6) return g->mem_hi;
    return -1;
}

static void dump_stats_locked(void)
{
    const char *path = getenv("FAKE_AMDSMI_STATS");
    if (path == NULL || *path == '\0') {
        return;
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)syscall(SYS_gettid));
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        return;
    }
    for (int i = 0; i < fn_known; i++) {
        fprintf(f, "calls.%s %lld\n", fn_names[i], (long long)fn_calls[i]);
    }
    fprintf(f, "init_calls %lld\nshutdown_calls %lld\nin_flight %lld\nmax_in_flight %lld\noverlaps %lld\nhung_now %lld\n",
            (long long)init_calls, (long long)shutdown_calls, (long long)in_flight, (long long)max_in_flight,
            (long long)overlaps, (long long)hung_now);
    for (int i = 0; i < gpu_count; i++) {
        const gpu_t *g = &gpus[i];
        fprintf(f, "perf.%d %u\ncap.%d %llu\ngfx_lo.%d %u\ngfx_hi.%d %u\nmem_lo.%d %u\nmem_hi.%d %u\n", i, g->perf, i,
                (unsigned long long)g->cap_uw, i, g->gfx_lo, i, g->gfx_hi, i, g->mem_lo, i, g->mem_hi);
    }
    fclose(f);
    rename(tmp, path);
}

typedef struct {
    const char *fn;
    int gpu;
    uint64_t t_start;
    char args[256];
} call_t;

static void call_enter(call_t *c, const char *fn)
{
    c->fn = fn;
    c->gpu = -1;
    c->args[0] = '\0';
    c->t_start = now_ns();
    pthread_mutex_lock(&state_lock);
    reload_locked();
    apply_static_locked();
    (*fn_counter_locked(fn))++;
    in_flight++;
    if (in_flight > max_in_flight) {
        max_in_flight = in_flight;
    }
    if (in_flight > 1) {
        overlaps++;
        if (parse_u64(cfg("abort_on_overlap"), 0) != 0) {
            fprintf(stderr, "fake_amdsmi: two calls in flight at once (%s); aborting as the pre-26.2 library might crash\n", fn);
            abort();
        }
    }
    pthread_mutex_unlock(&state_lock);
}

static amdsmi_status_t call_leave(call_t *c, amdsmi_status_t status)
{
    uint64_t t_end = now_ns();
    pthread_mutex_lock(&state_lock);
    in_flight--;
    dump_stats_locked();
    pthread_mutex_unlock(&state_lock);
    const char *path = getenv("FAKE_AMDSMI_LOG");
    if (path != NULL && *path != '\0') {
        pthread_mutex_lock(&log_lock);
        FILE *f = fopen(path, "a");
        if (f != NULL) {
            char gpu[16];
            if (c->gpu >= 0) {
                snprintf(gpu, sizeof gpu, "%d", c->gpu);
            } else {
                snprintf(gpu, sizeof gpu, "-");
            }
            fprintf(f, "%llu %ld %llu %llu %s gpu=%s%s%s -> %u\n", (unsigned long long)++log_seq, (long)syscall(SYS_gettid),
                    (unsigned long long)c->t_start, (unsigned long long)t_end, c->fn, gpu, c->args[0] != '\0' ? " " : "",
                    c->args, status);
            fclose(f);
        }
        pthread_mutex_unlock(&log_lock);
    }
    return status;
}

static void call_args(call_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void call_args(call_t *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->args, sizeof c->args, fmt, ap);
    va_end(ap);
}

/* The rule for fn on this GPU (fn.<gpu> first, then fn), or NULL. Copies the key into key. Call with state_lock held. */
static const char *rule_locked(const char *kind, const call_t *c, char *key, size_t size)
{
    const char *v = NULL;
    if (c->gpu >= 0) {
        v = cfgf(key, size, "%s.%s.%d", kind, c->fn, c->gpu);
    }
    if (v == NULL) {
        v = cfgf(key, size, "%s.%s", kind, c->fn);
    }
    return v;
}

/* Applies ":skip=M:count=N" of a matching rule; returns 1 when this call is one the rule acts on. */
static int rule_applies_locked(const char *key, const char *value)
{
    rule_counter_t *rc = NULL;
    for (int i = 0; i < rule_counter_count; i++) {
        if (strcmp(rule_counters[i].key, key) == 0) {
            rc = &rule_counters[i];
            break;
        }
    }
    if (rc == NULL && rule_counter_count < (int)(sizeof rule_counters / sizeof rule_counters[0])) {
        rc = &rule_counters[rule_counter_count++];
        copy_str(rc->key, sizeof rc->key, key);
        rc->value[0] = '\0';
        rc->matched = 0;
    }
    if (rc == NULL) {
        return 1;
    }
    if (strcmp(rc->value, value) != 0) { /* a new rule: its counters start again */
        copy_str(rc->value, sizeof rc->value, value);
        rc->matched = 0;
    }
    int64_t skip = 0, count = -1;
    const char *p = strstr(value, ":skip=");
    if (p != NULL) {
        skip = atoll(p + 6);
    }
    p = strstr(value, ":count=");
    if (p != NULL) {
        count = atoll(p + 7);
    }
    int64_t n = rc->matched++;
    return n >= skip && (count < 0 || n < skip + count);
}

/*
 * Hang, delay and fail rules, in that order. Returns -1 to go on with the call, else the status to return.
 * Also rejects calls before init (NOT_INIT) unless allow_uninit.
 */
static int64_t call_rules(call_t *c, int allow_uninit)
{
    char key[KEY_LEN + 32];
    pthread_mutex_lock(&state_lock);
    const char *hang = rule_locked("hang", c, key, sizeof key);
    int hanging = hang != NULL && rule_applies_locked(key, hang);
    if (hanging) {
        uint64_t limit_ms = strncmp(hang, "forever", 7) == 0 ? UINT64_MAX : parse_u64(hang, 0);
        char hang_value[VALUE_LEN];
        copy_str(hang_value, sizeof hang_value, hang);
        char hang_key[sizeof key];
        copy_str(hang_key, sizeof hang_key, key);
        uint64_t start = now_ns();
        hung_now++;
        dump_stats_locked();
        while (1) {
            pthread_mutex_unlock(&state_lock);
            sleep_ms(10);
            pthread_mutex_lock(&state_lock);
            reload_locked();
            const char *still = cfg(hang_key);
            if (still == NULL || strcmp(still, hang_value) != 0) {
                break;
            }
            if (limit_ms != UINT64_MAX && (now_ns() - start) / 1000000ull >= limit_ms) {
                break;
            }
        }
        hung_now--;
        dump_stats_locked();
    }
    const char *delay = rule_locked("delay", c, key, sizeof key);
    uint64_t delay_ms = delay != NULL ? parse_u64(delay, 0) : 0;
    pthread_mutex_unlock(&state_lock);
    if (delay_ms > 0) {
        sleep_ms(delay_ms);
    }
    pthread_mutex_lock(&state_lock);
    int64_t result = -1;
    if (!allow_uninit && !initialized) {
        result = AMDSMI_STATUS_NOT_INIT;
    } else {
        const char *fail = rule_locked("fail", c, key, sizeof key);
        if (fail != NULL && rule_applies_locked(key, fail)) {
            result = (int64_t)(uint32_t)parse_u64(fail, AMDSMI_STATUS_INVAL);
        }
    }
    pthread_mutex_unlock(&state_lock);
    return result;
}

static int gpu_of(amdsmi_processor_handle h)
{
    for (int i = 0; i < gpu_count; i++) {
        if (h == (void *)&gpus[i]) {
            return i;
        }
    }
    return -1;
}

static int socket_of(amdsmi_socket_handle h)
{
    for (int i = 0; i < socket_count; i++) {
        if (h == (void *)&sockets[i]) {
            return i;
        }
    }
    return -1;
}

/* Begins a call on a processor handle: returns -1 to proceed (c->gpu set), else the status to return. */
static int64_t gpu_call_begin(call_t *c, amdsmi_processor_handle h)
{
    pthread_mutex_lock(&state_lock);
    c->gpu = gpu_of(h);
    pthread_mutex_unlock(&state_lock);
    int64_t r = call_rules(c, 0);
    if (r < 0 && c->gpu < 0) {
        r = AMDSMI_STATUS_INVAL;
    }
    return r;
}

/* After call_enter (and call_args, so a call a rule fails is still logged with its arguments): applies the
 * hang/delay/fail rules and the NOT_INIT rule (unless allow_uninit), and returns what a rule decided. */
#define CALL_RULES(c, allow_uninit)                           \
    int64_t c##_rule = call_rules(&c, allow_uninit);          \
    if (c##_rule >= 0) {                                      \
        return call_leave(&c, (amdsmi_status_t)c##_rule);     \
    }                                                         \
    (void)0

/* The same for a call on a processor handle, which must be one of the fake's GPUs (else INVAL). */
#define GPU_CALL_RULES(c, h)                                  \
    int64_t c##_rule = gpu_call_begin(&c, h);                 \
    if (c##_rule >= 0) {                                      \
        return call_leave(&c, (amdsmi_status_t)c##_rule);     \
    }                                                         \
    (void)0

#define RETURN_INVAL_IF(c, condition)                         \
    if (condition) {                                          \
        return call_leave(&c, AMDSMI_STATUS_INVAL);           \
    }                                                         \
    (void)0

static void fill(void *p, size_t n)
{
    memset(p, poison ? 0xA5 : 0, n);
}

/* ---- exports ---------------------------------------------------------------------------------------------- */

#ifndef FAKE_OMIT_amdsmi_init
EXPORT amdsmi_status_t amdsmi_init(uint64_t init_flags)
{
    call_t c;
    call_enter(&c, "amdsmi_init");
    call_args(&c, "flags=%llu", (unsigned long long)init_flags);
    CALL_RULES(c, 1);
    pthread_mutex_lock(&state_lock);
    init_calls++;
    amdsmi_status_t s = AMDSMI_STATUS_SUCCESS;
    if (!initialized) {
        if (init_status != 0) {
            s = init_status;
        } else {
            initialized = 1;
            uint64_t t = now_ns();
            for (int i = 0; i < gpu_count; i++) {
                gpus[i].energy_last_ns = t;
            }
        }
    }
    pthread_mutex_unlock(&state_lock);
    return call_leave(&c, s);
}
#endif

#ifndef FAKE_OMIT_amdsmi_shut_down
EXPORT amdsmi_status_t amdsmi_shut_down(void)
{
    call_t c;
    call_enter(&c, "amdsmi_shut_down");
    pthread_mutex_lock(&state_lock);
    shutdown_calls++;
    initialized = 0;
    pthread_mutex_unlock(&state_lock);
    return call_leave(&c, AMDSMI_STATUS_SUCCESS);
}
#endif

/* Writes up to *count handles of list (n of them) into buffer, per the real library's two-call protocol. */
static amdsmi_status_t handle_list(call_t *c, uint32_t *count, void **buffer, void **list, int n)
{
    if (count == NULL) {
        return AMDSMI_STATUS_INVAL;
    }
    if (buffer == NULL) {
        *count = (uint32_t)n;
        return AMDSMI_STATUS_SUCCESS;
    }
    char key[KEY_LEN];
    pthread_mutex_lock(&state_lock);
    const char *shrink = cfgf(key, sizeof key, "short_list.%s", c->fn);
    pthread_mutex_unlock(&state_lock);
    uint32_t limit = *count < (uint32_t)n ? *count : (uint32_t)n;
    if (shrink != NULL && parse_u64(shrink, limit) < limit) {
        limit = (uint32_t)parse_u64(shrink, limit);
    }
    for (uint32_t i = 0; i < limit; i++) {
        buffer[i] = list[i];
    }
    *count = limit;
    return AMDSMI_STATUS_SUCCESS;
}

#ifndef FAKE_OMIT_amdsmi_get_socket_handles
EXPORT amdsmi_status_t amdsmi_get_socket_handles(uint32_t *socket_count_out, amdsmi_socket_handle *socket_handles)
{
    call_t c;
    call_enter(&c, "amdsmi_get_socket_handles");
    call_args(&c, "count=%u buffer=%s", socket_count_out != NULL ? *socket_count_out : 0, socket_handles != NULL ? "yes" : "null");
    CALL_RULES(c, 0);
    void *list[MAX_GPUS];
    for (int i = 0; i < socket_count; i++) {
        list[i] = &sockets[i];
    }
    return call_leave(&c, handle_list(&c, socket_count_out, socket_handles, list, socket_count));
}
#endif

#ifndef FAKE_OMIT_amdsmi_get_processor_handles
EXPORT amdsmi_status_t amdsmi_get_processor_handles(amdsmi_socket_handle socket, uint32_t *processor_count,
                                                    amdsmi_processor_handle *processor_handles)
{
    call_t c;
    call_enter(&c, "amdsmi_get_processor_handles");
    int s = socket_of(socket);
    call_args(&c, "socket=%d count=%u buffer=%s", s, processor_count != NULL ? *processor_count : 0,
              processor_handles != NULL ? "yes" : "null");
    CALL_RULES(c, 0);
    RETURN_INVAL_IF(c, s < 0);
    void *list[MAX_GPUS];
    int n = 0;
    for (int i = 0; i < gpu_count; i++) {
        if (gpus[i].socket == s) {
            list[n++] = &gpus[i];
        }
    }
    return call_leave(&c, handle_list(&c, processor_count, processor_handles, list, n));
}
#endif

#ifndef FAKE_OMIT_amdsmi_get_gpu_asic_info
EXPORT amdsmi_status_t amdsmi_get_gpu_asic_info(amdsmi_processor_handle h, void *info)
{
    call_t c;
    call_enter(&c, "amdsmi_get_gpu_asic_info");
    GPU_CALL_RULES(c, h);
    RETURN_INVAL_IF(c, info == NULL);
    const gpu_t *g = &gpus[c.gpu];
    size_t size = abi == 24 ? sizeof(asic_info_v24_t) : sizeof(asic_info_v26_t);
    fill(info, size);
    char *name = (char *)info;
    if (g->name_nonul) {
        memset(name, 'X', 256);
        memcpy(name, g->name, strnlen(g->name, 256));
    } else {
        memset(name, 0, 256);
        memcpy(name, g->name, strnlen(g->name, 255));
    }
    return call_leave(&c, AMDSMI_STATUS_SUCCESS);
}
#endif

#ifndef FAKE_OMIT_amdsmi_get_gpu_device_bdf
EXPORT amdsmi_status_t amdsmi_get_gpu_device_bdf(amdsmi_processor_handle h, uint64_t *bdf)
{
    call_t c;
    call_enter(&c, "amdsmi_get_gpu_device_bdf");
    GPU_CALL_RULES(c, h);
    RETURN_INVAL_IF(c, bdf == NULL);
    *bdf = gpus[c.gpu].bdf;
    call_args(&c, "bdf=0x%llx", (unsigned long long)*bdf);
    return call_leave(&c, AMDSMI_STATUS_SUCCESS);
}
#endif

#ifndef FAKE_OMIT_amdsmi_get_power_cap_info
EXPORT amdsmi_status_t amdsmi_get_power_cap_info(amdsmi_processor_handle h, uint32_t sensor_ind, power_cap_info_t *info)
{
    call_t c;
    call_enter(&c, "amdsmi_get_power_cap_info");
    call_args(&c, "sensor=%u", sensor_ind);
    GPU_CALL_RULES(c, h);
    RETURN_INVAL_IF(c, info == NULL || sensor_ind != 0);
    pthread_mutex_lock(&state_lock);
    const gpu_t *g = &gpus[c.gpu];
    fill(info, sizeof *info);
    info->power_cap = g->cap_uw;
    info->default_power_cap = g->default_cap_uw;
    info->dpm_cap = g->dpm_cap;
    info->min_power_cap = g->min_cap_uw;
    info->max_power_cap = g->max_cap_uw;
    pthread_mutex_unlock(&state_lock);
    return call_leave(&c, AMDSMI_STATUS_SUCCESS);
}
#endif

#ifndef FAKE_OMIT_amdsmi_set_power_cap
EXPORT amdsmi_status_t amdsmi_set_power_cap(amdsmi_processor_handle h, uint32_t sensor_ind, uint64_t cap)
{
    call_t c;
    call_enter(&c, "amdsmi_set_power_cap");
    call_args(&c, "sensor=%u cap=%llu", sensor_ind, (unsigned long long)cap);
    GPU_CALL_RULES(c, h);
    RETURN_INVAL_IF(c, sensor_ind != 0);
    pthread_mutex_lock(&state_lock);
    gpu_t *g = &gpus[c.gpu];
    amdsmi_status_t s = AMDSMI_STATUS_SUCCESS;
    if (enforce_cap_range && (cap < g->min_cap_uw || cap > g->max_cap_uw)) {
        s = AMDSMI_STATUS_INVAL;
    } else {
        g->cap_uw = cap;
    }
    pthread_mutex_unlock(&state_lock);
    return call_leave(&c, s);
}
#endif

static uint32_t power_value_locked(int gpu, const char *field)
{
    char key[KEY_LEN];
    return (uint32_t)parse_u64(cfgf(key, sizeof key, "gpu.%d.%s", gpu, field), 100);
}

#ifndef FAKE_OMIT_amdsmi_get_power_info
EXPORT amdsmi_status_t amdsmi_get_power_info(amdsmi_processor_handle h, void *info)
{
    call_t c;
    call_enter(&c, "amdsmi_get_power_info");
    GPU_CALL_RULES(c, h);
    RETURN_INVAL_IF(c, info == NULL);
    pthread_mutex_lock(&state_lock);
    uint32_t current = power_value_locked(c.gpu, "current_w");
    uint32_t average = power_value_locked(c.gpu, "average_w");
    uint32_t limit_w = (uint32_t)(gpus[c.gpu].cap_uw / 1000000u);
    pthread_mutex_unlock(&state_lock);
    call_args(&c, "current=%u average=%u abi=%d", current, average, abi);
    if (abi == 24) {
        power_info_v24_t *p = info;
        fill(p, sizeof *p);
        p->current_socket_power = current;
        p->average_socket_power = average;
        p->gfx_voltage = 800;
        p->soc_voltage = 900;
        p->mem_voltage = 1100;
        p->power_limit = limit_w;
    } else if (abi == 25) {
        power_info_v25_t *p = info;
        fill(p, sizeof *p);
        p->socket_power = current;
        p->current_socket_power = current;
        p->average_socket_power = average;
        p->gfx_voltage = 800;
        p->soc_voltage = 900;
        p->mem_voltage = 1100;
        p->power_limit = limit_w;
    } else {
        power_info_v26_t *p = info;
        fill(p, sizeof *p);
        p->socket_power = current;
        p->current_socket_power = current;
        p->average_socket_power = average;
        p->gfx_voltage = 800;
        p->soc_voltage = 900;
        p->mem_voltage = 1100;
        p->power_limit = limit_w;
    }
    return call_leave(&c, AMDSMI_STATUS_SUCCESS);
}
#endif

#ifndef FAKE_OMIT_amdsmi_get_energy_count
EXPORT amdsmi_status_t amdsmi_get_energy_count(amdsmi_processor_handle h, uint64_t *energy_accumulator,
                                               float *counter_resolution, uint64_t *timestamp)
{
    call_t c;
    call_enter(&c, "amdsmi_get_energy_count");
    GPU_CALL_RULES(c, h);
    RETURN_INVAL_IF(c, energy_accumulator == NULL || counter_resolution == NULL || timestamp == NULL);
    char key[KEY_LEN];
    pthread_mutex_lock(&state_lock);
    gpu_t *g = &gpus[c.gpu];
    const char *model = cfgf(key, sizeof key, "gpu.%d.energy", c.gpu);
    double resolution = parse_double(cfgf(key, sizeof key, "gpu.%d.energy_resolution", c.gpu), 15.3);
    amdsmi_status_t s = AMDSMI_STATUS_SUCCESS;
    uint64_t acc = 0;
    uint64_t t = now_ns();
    if (model != NULL && strcmp(model, "unsupported") == 0) {
        s = AMDSMI_STATUS_NOT_SUPPORTED;
    } else if (model != NULL && strncmp(model, "seq:", 4) == 0) {
        if (strcmp(g->energy_seq_seen, model) != 0) {
            copy_str(g->energy_seq_seen, sizeof g->energy_seq_seen, model);
            g->energy_seq_index = 0;
        }
        const char *p = model + 4;
        for (int i = 0; i < g->energy_seq_index; i++) {
            const char *comma = strchr(p, ',');
            if (comma == NULL) {
                break;
            }
            p = comma + 1;
        }
        acc = strtoull(p, NULL, 0);
        g->energy_seq_index++;
    } else {
        /* track: integrate the configured draw since the last read */
        uint32_t cur = power_value_locked(c.gpu, "current_w");
        uint32_t avg = power_value_locked(c.gpu, "average_w");
        double fallback = cur != 0xFFFF && cur != 0xFFFFFFFFu ? cur : avg != 0xFFFF && avg != 0xFFFFFFFFu ? avg : 0;
        double watts = parse_double(cfgf(key, sizeof key, "gpu.%d.energy_w", c.gpu), fallback);
        double scale = parse_double(cfgf(key, sizeof key, "gpu.%d.energy_scale", c.gpu), 1.0);
        double dt = (double)(t - g->energy_last_ns) / 1e9;
        g->energy_last_ns = t;
        if (resolution > 0) {
            g->energy_counts += watts * scale * dt * 1e6 / resolution;
        }
        double start = parse_double(cfgf(key, sizeof key, "gpu.%d.energy_start", c.gpu), 0);
        acc = (uint64_t)(start + g->energy_counts);
    }
    pthread_mutex_unlock(&state_lock);
    if (s == AMDSMI_STATUS_SUCCESS) {
        *energy_accumulator = acc;
        *counter_resolution = (float)resolution;
        *timestamp = t;
        call_args(&c, "acc=%llu resolution=%g", (unsigned long long)acc, resolution);
    }
    return call_leave(&c, s);
}
#endif

/* Applies a live.gpu.N.<gfx|mem> value that changed since it was last seen. Call with state_lock held. */
static void apply_live_locked(gpu_t *g)
{
    char key[KEY_LEN];
    const char *v = cfgf(key, sizeof key, "live.gpu.%d.gfx", g->index);
    if (v != NULL && strcmp(v, g->live_gfx_seen) != 0) {
        copy_str(g->live_gfx_seen, sizeof g->live_gfx_seen, v);
        parse_range(v, &g->gfx_lo, &g->gfx_hi);
    }
    v = cfgf(key, sizeof key, "live.gpu.%d.mem", g->index);
    if (v != NULL && strcmp(v, g->live_mem_seen) != 0) {
        copy_str(g->live_mem_seen, sizeof g->live_mem_seen, v);
        parse_range(v, &g->mem_lo, &g->mem_hi);
    }
}

#ifndef FAKE_OMIT_amdsmi_get_clock_info
EXPORT amdsmi_status_t amdsmi_get_clock_info(amdsmi_processor_handle h, uint32_t clk_type, clk_info_t *info)
{
    call_t c;
    call_enter(&c, "amdsmi_get_clock_info");
    call_args(&c, "clk=%u", clk_type);
    GPU_CALL_RULES(c, h);
    RETURN_INVAL_IF(c, info == NULL || (clk_type != CLK_TYPE_SYS && clk_type != CLK_TYPE_MEM));
    pthread_mutex_lock(&state_lock);
    gpu_t *g = &gpus[c.gpu];
    apply_live_locked(g);
    fill(info, sizeof *info);
    info->clk = clk_type == CLK_TYPE_SYS ? g->gfx_cur : g->mem_cur;
    info->min_clk = clk_type == CLK_TYPE_SYS ? g->gfx_lo : g->mem_lo;
    info->max_clk = clk_type == CLK_TYPE_SYS ? g->gfx_hi : g->mem_hi;
    info->clk_locked = g->perf == PERF_MANUAL;
    info->clk_deep_sleep = 0;
    call_args(&c, "clk=%u min=%u max=%u", clk_type, info->min_clk, info->max_clk);
    pthread_mutex_unlock(&state_lock);
    return call_leave(&c, AMDSMI_STATUS_SUCCESS);
}
#endif

#ifndef FAKE_OMIT_amdsmi_get_lib_version
EXPORT amdsmi_status_t amdsmi_get_lib_version(void *version)
{
    call_t c;
    call_enter(&c, "amdsmi_get_lib_version");
    int64_t r = call_rules(&c, 0);
    if (r < 0) {
        pthread_mutex_lock(&state_lock);
        r = (int64_t)(uint32_t)parse_u64(cfg("version_status"), 0);
        pthread_mutex_unlock(&state_lock);
    }
    if (r != 0) {
        return call_leave(&c, (amdsmi_status_t)r);
    }
    RETURN_INVAL_IF(c, version == NULL);
    if (abi == 26) {
        version_v26_t *v = version;
        fill(v, sizeof *v);
        v->major = ver_major;
        v->minor = ver_minor;
        v->release = ver_release;
        v->build = "fake-amdsmi";
    } else {
        version_v24_t *v = version;
        fill(v, sizeof *v);
        v->year = ver_year;
        v->major = ver_major;
        v->minor = ver_minor;
        v->release = ver_release;
        v->build = "fake-amdsmi";
    }
    call_args(&c, "abi=%d version=%u.%u.%u.%u", abi, ver_year, ver_major, ver_minor, ver_release);
    return call_leave(&c, AMDSMI_STATUS_SUCCESS);
}
#endif

static const struct {
    uint32_t code;
    const char *text;
} status_table[] = {
    { 0, "AMDSMI_STATUS_SUCCESS: Call succeeded." },
    { 1, "AMDSMI_STATUS_INVAL: Invalid parameters." },
    { 2, "AMDSMI_STATUS_NOT_SUPPORTED: Command not supported." },
    { 3, "AMDSMI_STATUS_NOT_YET_IMPLEMENTED: Not implemented yet." },
    { 4, "AMDSMI_STATUS_FAIL_LOAD_MODULE: Fail to load lib module." },
    { 5, "AMDSMI_STATUS_FAIL_LOAD_SYMBOL: Fail to load symbol." },
    { 6, "AMDSMI_STATUS_DRM_ERROR: Error when calling libdrm function." },
    { 7, "AMDSMI_STATUS_API_FAILED: API call failed." },
    { 8, "AMDSMI_STATUS_TIMEOUT: Timeout in API call." },
    { 9, "AMDSMI_STATUS_RETRY: Retry operation." },
    { 10, "AMDSMI_STATUS_NO_PERM: Permission Denied." },
    { 11, "AMDSMI_STATUS_INTERRUPT: An interrupt occurred during execution of function." },
    { 12, "AMDSMI_STATUS_IO: I/O Error." },
    { 18, "AMDSMI_STATUS_INIT_ERROR: Initialization error." },
    { 30, "AMDSMI_STATUS_BUSY: Processor busy." },
    { 31, "AMDSMI_STATUS_NOT_FOUND: Processor Not found." },
    { 32, "AMDSMI_STATUS_NOT_INIT: Processor not initialized." },
    { 34, "AMDSMI_STATUS_DRIVER_NOT_LOADED: Processor driver not loaded." },
    { 40, "AMDSMI_STATUS_NO_DATA: No data was found for a given input." },
    { 43, "AMDSMI_STATUS_UNEXPECTED_DATA: The data read or provided to function is not what was expected." },
    { 0xFFFFFFFEu, "AMDSMI_STATUS_MAP_ERROR: The internal library error did not map to a status code." },
    { 0xFFFFFFFFu, "AMDSMI_STATUS_UNKNOWN_ERROR: An unknown error occurred." },
};

#ifndef FAKE_OMIT_amdsmi_status_code_to_string
EXPORT amdsmi_status_t amdsmi_status_code_to_string(amdsmi_status_t status, const char **status_string)
{
    static __thread char override[VALUE_LEN];
    call_t c;
    call_enter(&c, "amdsmi_status_code_to_string");
    call_args(&c, "status=%u", status);
    CALL_RULES(c, 1);
    RETURN_INVAL_IF(c, status_string == NULL);
    char key[KEY_LEN];
    pthread_mutex_lock(&state_lock);
    const char *mode = cfg("status_string");
    const char *one = cfgf(key, sizeof key, "status_string.%u", status);
    if (one != NULL) {
        copy_str(override, sizeof override, one);
    }
    pthread_mutex_unlock(&state_lock);
    if (mode != NULL && strcmp(mode, "fail") == 0) {
        return call_leave(&c, AMDSMI_STATUS_UNKNOWN_ERROR);
    }
    if (mode != NULL && strcmp(mode, "null") == 0) {
        *status_string = NULL;
        return call_leave(&c, AMDSMI_STATUS_SUCCESS);
    }
    if (one != NULL) {
        *status_string = override;
        return call_leave(&c, AMDSMI_STATUS_SUCCESS);
    }
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++) {
        if (status_table[i].code == status) {
            *status_string = status_table[i].text;
            return call_leave(&c, AMDSMI_STATUS_SUCCESS);
        }
    }
    *status_string = "An unknown error occurred";
    return call_leave(&c, AMDSMI_STATUS_UNKNOWN_ERROR);
}
#endif

#ifndef FAKE_OMIT_amdsmi_set_gpu_clk_limit
EXPORT amdsmi_status_t amdsmi_set_gpu_clk_limit(amdsmi_processor_handle h, uint32_t clk_type, uint32_t limit_type,
                                                uint64_t clk_value)
{
    call_t c;
    call_enter(&c, "amdsmi_set_gpu_clk_limit");
    call_args(&c, "clk=%u limit=%u value=%llu", clk_type, limit_type, (unsigned long long)clk_value);
    GPU_CALL_RULES(c, h);
    RETURN_INVAL_IF(c, (clk_type != CLK_TYPE_SYS && clk_type != CLK_TYPE_MEM)
                           || (limit_type != CLK_LIMIT_MIN && limit_type != CLK_LIMIT_MAX));
    pthread_mutex_lock(&state_lock);
    gpu_t *g = &gpus[c.gpu];
    apply_live_locked(g);
    uint32_t *lo = clk_type == CLK_TYPE_SYS ? &g->gfx_lo : &g->mem_lo;
    uint32_t *hi = clk_type == CLK_TYPE_SYS ? &g->gfx_hi : &g->mem_hi;
    uint32_t hw_lo = clk_type == CLK_TYPE_SYS ? g->gfx_hw_lo : g->mem_hw_lo;
    uint32_t hw_hi = clk_type == CLK_TYPE_SYS ? g->gfx_hw_hi : g->mem_hw_hi;
    amdsmi_status_t s = AMDSMI_STATUS_SUCCESS;
    /* The real library switches to MANUAL before it writes the OD table. */
    g->perf = PERF_MANUAL;
    if (clk_value < hw_lo || clk_value > hw_hi) {
        s = AMDSMI_STATUS_INVAL;
    } else if (enforce_clk_order && ((limit_type == CLK_LIMIT_MIN && clk_value > *hi) || (limit_type == CLK_LIMIT_MAX && clk_value < *lo))) {
        s = clk_order_status;
    } else if (limit_type == CLK_LIMIT_MIN) {
        *lo = (uint32_t)clk_value;
    } else {
        *hi = (uint32_t)clk_value;
    }
    pthread_mutex_unlock(&state_lock);
    return call_leave(&c, s);
}
#endif

#ifndef FAKE_OMIT_amdsmi_set_gpu_perf_level
EXPORT amdsmi_status_t amdsmi_set_gpu_perf_level(amdsmi_processor_handle h, uint32_t perf_lvl)
{
    call_t c;
    call_enter(&c, "amdsmi_set_gpu_perf_level");
    call_args(&c, "perf=%u", perf_lvl);
    GPU_CALL_RULES(c, h);
    RETURN_INVAL_IF(c, perf_lvl > PERF_DETERMINISM && perf_lvl != PERF_UNKNOWN);
    pthread_mutex_lock(&state_lock);
    gpu_t *g = &gpus[c.gpu];
    g->perf = perf_lvl;
    if (perf_lvl == PERF_AUTO) {
        g->gfx_lo = g->gfx_def_lo;
        g->gfx_hi = g->gfx_def_hi;
        g->mem_lo = g->mem_def_lo;
        g->mem_hi = g->mem_def_hi;
    }
    pthread_mutex_unlock(&state_lock);
    return call_leave(&c, AMDSMI_STATUS_SUCCESS);
}
#endif

/* ---- test hooks ------------------------------------------------------------------------------------------- */

EXPORT void fake_amdsmi_set(const char *key, const char *value)
{
    pthread_mutex_lock(&state_lock);
    for (int i = 0; i < set_count; i++) {
        if (strcmp(set_entries[i].key, key) == 0) {
            copy_str(set_entries[i].value, sizeof set_entries[i].value, value != NULL ? value : "");
            pthread_mutex_unlock(&state_lock);
            return;
        }
    }
    if (set_count < MAX_KEYS) {
        copy_str(set_entries[set_count].key, sizeof set_entries[set_count].key, key);
        copy_str(set_entries[set_count].value, sizeof set_entries[set_count].value, value != NULL ? value : "");
        set_count++;
    }
    pthread_mutex_unlock(&state_lock);
}

EXPORT int64_t fake_amdsmi_stat(const char *name)
{
    pthread_mutex_lock(&state_lock);
    apply_static_locked();
    int64_t v = stat_locked(name);
    pthread_mutex_unlock(&state_lock);
    return v;
}

EXPORT void fake_amdsmi_reset(void)
{
    pthread_mutex_lock(&state_lock);
    static_applied = 0;
    initialized = 0;
    config_seen = 0;
    file_count = 0;
    set_count = 0;
    rule_counter_count = 0;
    fn_known = 0;
    init_calls = shutdown_calls = in_flight = max_in_flight = overlaps = hung_now = 0;
    pthread_mutex_unlock(&state_lock);
}
