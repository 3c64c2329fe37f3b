/*
 * fakenvml: a stand-in for libnvidia-ml.so.1 that zeusd's integration tests load through the daemon's real
 * loader (LD_LIBRARY_PATH). It exports the NVML functions zeusd calls with NVML's real ABI (the layouts and
 * return codes of nvml.h), enforces NVML's argument checks, keeps per-process board state, and lets a test
 * inject faults at run time and read back every call it received.
 *
 * Configuration (environment, read once at the first call):
 *   FAKENVML_GPU_COUNT   number of GPUs (default 2, at most 16)
 *   FAKENVML_NAMES       comma-separated names, one per GPU; the last one repeats (default "NVIDIA A40")
 *   FAKENVML_PCI         comma-separated hex "domain:bus:device" per GPU (default 0000:<0x17+0x10*i>:00)
 *   FAKENVML_NO_ENERGY   comma-separated GPU indices without an energy counter (pre-Volta boards)
 *   FAKENVML_INIT_FAIL   fault returned by nvmlInit_v2 (a name below or a number)
 *   FAKENVML_DIR         control directory (optional); see below
 *   FAKENVML_STATE       "1": keep the boards' settings in <control dir>/state, read at the first call and rewritten
 *                        (atomically) after every successful set, so a restarted daemon sees what the last one left;
 *                        one line per GPU: "<i> power_limit=<mW> persistence=<0|1> gpu_locked=<0|1> gpu_min=<MHz>
 *                        gpu_max=<MHz> mem_locked=<0|1> mem_min=<MHz> mem_max=<MHz>"
 *
 * Control directory (re-read on every call, so tests switch faults while the daemon runs; write files atomically):
 *   calls.log                   append-only log, one line per call received: "<seq> <function> gpu=<i> <args>"
 *   fault.<gpu>.<function>      the function fails on that GPU with the fault in the file
 *   fault.<gpu>.any             every function of that GPU fails
 *   fault.global.<function>     for functions without a device (nvmlInit_v2, nvmlDeviceGetCount_v2, nvmlShutdown)
 *   field.<gpu>                 per-field return code of nvmlDeviceGetFieldValues
 *   power.<gpu>                 fixed instantaneous power in mW (decimal, may exceed 32 bits)
 *   valuetype.<gpu>             nvmlValueType_t reported for the power field (default 1, unsigned int)
 *   energy.<gpu>                fixed total energy in mJ
 * Faults: no_permission, not_supported, unknown, gpu_lost, invalid_argument, uninitialized, timeout,
 * driver_not_loaded, or a decimal nvmlReturn_t; "block" makes the call wait (after it is logged) until the file is
 * removed or changed, then proceed with whatever the file says next; "hang" makes it never return (a call stuck in
 * the driver: only the end of the process ends it).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* ---- nvml.h ABI ------------------------------------------------------------------------------------------ */

typedef enum nvmlReturn_enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_NO_PERMISSION = 4,
    NVML_ERROR_ALREADY_INITIALIZED = 5,
    NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_INSUFFICIENT_POWER = 8,
    NVML_ERROR_DRIVER_NOT_LOADED = 9,
    NVML_ERROR_TIMEOUT = 10,
    NVML_ERROR_IRQ_ISSUE = 11,
    NVML_ERROR_LIBRARY_NOT_FOUND = 12,
    NVML_ERROR_FUNCTION_NOT_FOUND = 13,
    NVML_ERROR_CORRUPTED_INFOROM = 14,
    NVML_ERROR_GPU_IS_LOST = 15,
    NVML_ERROR_RESET_REQUIRED = 16,
    NVML_ERROR_OPERATING_SYSTEM = 17,
    NVML_ERROR_LIB_RM_VERSION_MISMATCH = 18,
    NVML_ERROR_IN_USE = 19,
    NVML_ERROR_MEMORY = 20,
    NVML_ERROR_NO_DATA = 21,
    NVML_ERROR_VGPU_ECC_NOT_SUPPORTED = 22,
    NVML_ERROR_INSUFFICIENT_RESOURCES = 23,
    NVML_ERROR_FREQ_NOT_SUPPORTED = 24,
    NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25,
    NVML_ERROR_DEPRECATED = 26,
    NVML_ERROR_NOT_READY = 27,
    NVML_ERROR_GPU_NOT_FOUND = 28,
    NVML_ERROR_INVALID_STATE = 29,
    NVML_ERROR_RESET_TYPE_NOT_SUPPORTED = 30,
    NVML_ERROR_UNKNOWN = 999
} nvmlReturn_t;

typedef enum nvmlEnableState_enum { NVML_FEATURE_DISABLED = 0, NVML_FEATURE_ENABLED = 1 } nvmlEnableState_t;

typedef enum nvmlValueType_enum {
    NVML_VALUE_TYPE_DOUBLE = 0,
    NVML_VALUE_TYPE_UNSIGNED_INT = 1,
    NVML_VALUE_TYPE_UNSIGNED_LONG = 2,
    NVML_VALUE_TYPE_UNSIGNED_LONG_LONG = 3,
    NVML_VALUE_TYPE_SIGNED_LONG_LONG = 4,
    NVML_VALUE_TYPE_SIGNED_INT = 5,
    NVML_VALUE_TYPE_UNSIGNED_SHORT = 6
} nvmlValueType_t;

#define NVML_DEVICE_PCI_BUS_ID_BUFFER_SIZE 32
#define NVML_DEVICE_PCI_BUS_ID_BUFFER_V2_SIZE 16
#define NVML_FI_DEV_POWER_INSTANT 186

typedef struct nvmlPciInfo_st {
    char busIdLegacy[NVML_DEVICE_PCI_BUS_ID_BUFFER_V2_SIZE];
    unsigned int domain;
    unsigned int bus;
    unsigned int device;
    unsigned int pciDeviceId;
    unsigned int pciSubSystemId;
    char busId[NVML_DEVICE_PCI_BUS_ID_BUFFER_SIZE];
} nvmlPciInfo_t;

typedef union nvmlValue_st {
    double dVal;
    int siVal;
    unsigned int uiVal;
    unsigned long ulVal;
    unsigned long long ullVal;
    signed long long sllVal;
    unsigned short usVal;
} nvmlValue_t;

typedef struct nvmlFieldValue_st {
    unsigned int fieldId;
    unsigned int scopeId;
    long long timestamp;
    long long latencyUsec;
    nvmlValueType_t valueType;
    nvmlReturn_t nvmlReturn;
    nvmlValue_t value;
} nvmlFieldValue_t;

_Static_assert(sizeof(nvmlPciInfo_t) == 68, "nvmlPciInfo_t layout");
_Static_assert(sizeof(nvmlFieldValue_t) == 40, "nvmlFieldValue_t layout");
_Static_assert(offsetof(nvmlFieldValue_t, value) == 32, "nvmlFieldValue_t layout");

/* ---- the fake boards ------------------------------------------------------------------------------------- */

#define MAX_GPUS 16
#define MIN_LIMIT_MW 100000u
#define MAX_LIMIT_MW 300000u
#define MAX_GRAPHICS_MHZ 1740.0

struct nvmlDevice_st {
    unsigned int index;
    char name[96];
    unsigned int domain, bus, device;
    int energy_supported;
    /* State below is guarded by state_lock. */
    unsigned int power_limit_mw;
    int persistence;
    int gpu_clocks_locked;
    unsigned int gpu_clock_min, gpu_clock_max;
    int mem_clocks_locked;
    unsigned int mem_clock_min, mem_clock_max;
    double idle_draw_mw;
    double energy_mj;
    double integrated_until;
};
typedef struct nvmlDevice_st *nvmlDevice_t;

static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct nvmlDevice_st gpus[MAX_GPUS];
static unsigned int gpu_count;
static int init_refs;
static char control_dir[4096];
static int log_fd = -1;
static unsigned long long log_seq;
static char init_fail[64];
static int keep_state;

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Copies the n-th comma-separated item of list into out (the last item repeats); returns 0 if list is empty. */
static int list_item(const char *list, unsigned int n, char *out, size_t size)
{
    if (list == NULL || *list == '\0') {
        return 0;
    }
    const char *start = list;
    for (unsigned int i = 0; i < n; i++) {
        const char *comma = strchr(start, ',');
        if (comma == NULL) {
            break;
        }
        start = comma + 1;
    }
    size_t len = strcspn(start, ",");
    if (len >= size) {
        len = size - 1;
    }
    memcpy(out, start, len);
    out[len] = '\0';
    return 1;
}

static int list_contains(const char *list, unsigned int value)
{
    if (list == NULL) {
        return 0;
    }
    for (const char *p = list; *p != '\0';) {
        char *end;
        unsigned long item = strtoul(p, &end, 10);
        if (end != p && item == value) {
            return 1;
        }
        p = *end == ',' ? end + 1 : (*end == '\0' ? end : end + 1);
    }
    return 0;
}

static void state_path(char *path, size_t size, const char *suffix)
{
    snprintf(path, size, "%s/state%s", control_dir, suffix);
}

/* Reads the state file, if any, over the defaults (FAKENVML_STATE=1 only). */
static void load_state(void)
{
    char path[4200];
    state_path(path, sizeof path, "");
    FILE *file = fopen(path, "re");
    if (file == NULL) {
        return;
    }
    char line[512];
    while (fgets(line, sizeof line, file) != NULL) {
        unsigned int i, limit, min1, max1, min2, max2;
        int persistence, gpu_locked, mem_locked;
        if (sscanf(line, "%u power_limit=%u persistence=%d gpu_locked=%d gpu_min=%u gpu_max=%u mem_locked=%d mem_min=%u mem_max=%u",
                   &i, &limit, &persistence, &gpu_locked, &min1, &max1, &mem_locked, &min2, &max2) == 9 && i < MAX_GPUS) {
            struct nvmlDevice_st *g = &gpus[i];
            g->power_limit_mw = limit;
            g->persistence = persistence;
            g->gpu_clocks_locked = gpu_locked;
            g->gpu_clock_min = min1;
            g->gpu_clock_max = max1;
            g->mem_clocks_locked = mem_locked;
            g->mem_clock_min = min2;
            g->mem_clock_max = max2;
        }
    }
    fclose(file);
}

/* Rewrites the state file (temporary file + rename, so a reader never sees half of it); call with state_lock held. */
static void save_state(void)
{
    if (!keep_state) {
        return;
    }
    char path[4200], temporary[4200];
    state_path(path, sizeof path, "");
    state_path(temporary, sizeof temporary, ".tmp");
    FILE *file = fopen(temporary, "we");
    if (file == NULL) {
        return;
    }
    for (unsigned int i = 0; i < gpu_count; i++) {
        const struct nvmlDevice_st *g = &gpus[i];
        fprintf(file, "%u power_limit=%u persistence=%d gpu_locked=%d gpu_min=%u gpu_max=%u mem_locked=%d mem_min=%u mem_max=%u\n",
                i, g->power_limit_mw, g->persistence, g->gpu_clocks_locked, g->gpu_clock_min, g->gpu_clock_max,
                g->mem_clocks_locked, g->mem_clock_min, g->mem_clock_max);
    }
    fclose(file);
    rename(temporary, path);
}

static void configure(void)
{
    const char *count = getenv("FAKENVML_GPU_COUNT");
    gpu_count = count != NULL ? (unsigned int)strtoul(count, NULL, 10) : 2;
    if (gpu_count > MAX_GPUS) {
        gpu_count = MAX_GPUS;
    }
    const char *names = getenv("FAKENVML_NAMES");
    const char *pci = getenv("FAKENVML_PCI");
    const char *no_energy = getenv("FAKENVML_NO_ENERGY");
    double now = monotonic_seconds();
    for (unsigned int i = 0; i < MAX_GPUS; i++) {
        struct nvmlDevice_st *g = &gpus[i];
        g->index = i;
        if (!list_item(names, i, g->name, sizeof g->name)) {
            strcpy(g->name, "NVIDIA A40");
        }
        char address[64];
        g->domain = 0;
        g->bus = (0x17 + 0x10 * i) & 0xff;
        g->device = 0;
        if (list_item(pci, i, address, sizeof address)) {
            sscanf(address, "%x:%x:%x", &g->domain, &g->bus, &g->device);
        }
        g->energy_supported = !list_contains(no_energy, i);
        g->power_limit_mw = MAX_LIMIT_MW;
        g->idle_draw_mw = 62000.0 + 9000.0 * i;
        g->energy_mj = 4.0e6 * (i + 1);
        g->integrated_until = now;
    }
    const char *fail = getenv("FAKENVML_INIT_FAIL");
    if (fail != NULL) {
        snprintf(init_fail, sizeof init_fail, "%s", fail);
    }
    const char *dir = getenv("FAKENVML_DIR");
    if (dir != NULL && *dir != '\0') {
        snprintf(control_dir, sizeof control_dir, "%s", dir);
        char path[4200];
        snprintf(path, sizeof path, "%s/calls.log", control_dir);
        log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        const char *state = getenv("FAKENVML_STATE");
        keep_state = state != NULL && strcmp(state, "1") == 0;
        if (keep_state) {
            load_state();
        }
    }
}

/* ---- control files --------------------------------------------------------------------------------------- */

/* Reads control file `name` into buf, trimmed; returns 1 if it exists and is not empty. */
static int read_control(const char *name, char *buf, size_t size)
{
    if (control_dir[0] == '\0') {
        return 0;
    }
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", control_dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n <= 0) {
        return 0;
    }
    buf[n] = '\0';
    while (n > 0 && isspace((unsigned char)buf[n - 1])) {
        buf[--n] = '\0';
    }
    return n > 0;
}

#define FAULT_BLOCK (-1)
#define FAULT_HANG (-2)

static int fault_code(const char *text)
{
    static const struct { const char *name; int code; } names[] = {
        { "block", FAULT_BLOCK },
        { "hang", FAULT_HANG },
        { "no_permission", NVML_ERROR_NO_PERMISSION },
        { "not_supported", NVML_ERROR_NOT_SUPPORTED },
        { "unknown", NVML_ERROR_UNKNOWN },
        { "gpu_lost", NVML_ERROR_GPU_IS_LOST },
        { "invalid_argument", NVML_ERROR_INVALID_ARGUMENT },
        { "uninitialized", NVML_ERROR_UNINITIALIZED },
        { "timeout", NVML_ERROR_TIMEOUT },
        { "driver_not_loaded", NVML_ERROR_DRIVER_NOT_LOADED },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(text, names[i].name) == 0) {
            return names[i].code;
        }
    }
    return (int)strtol(text, NULL, 10);
}

/* The fault configured for `function` in `scope` (a GPU index or "global"); blocks while the fault is "block". */
static nvmlReturn_t injected_fault(const char *scope, const char *function)
{
    for (;;) {
        char name[256], text[64];
        snprintf(name, sizeof name, "fault.%s.%s", scope, function);
        int found = read_control(name, text, sizeof text);
        if (!found) {
            snprintf(name, sizeof name, "fault.%s.any", scope);
            found = read_control(name, text, sizeof text);
        }
        if (!found) {
            return NVML_SUCCESS;
        }
        int code = fault_code(text);
        if (code == FAULT_HANG) {
            for (;;) {
                sleep(3600);
            }
        }
        if (code != FAULT_BLOCK) {
            return (nvmlReturn_t)code;
        }
        usleep(2000);
    }
}

static int read_control_u64(const char *kind, unsigned int gpu, unsigned long long *value)
{
    char name[64], text[64];
    snprintf(name, sizeof name, "%s.%u", kind, gpu);
    if (!read_control(name, text, sizeof text)) {
        return 0;
    }
    *value = strtoull(text, NULL, 10);
    return 1;
}

/* ---- call log -------------------------------------------------------------------------------------------- */

static void log_call(const char *function, const char *format, ...)
{
    if (log_fd < 0) {
        return;
    }
    char args[512];
    va_list ap;
    va_start(ap, format);
    vsnprintf(args, sizeof args, format, ap);
    va_end(ap);
    pthread_mutex_lock(&log_lock);
    char line[700];
    int len = snprintf(line, sizeof line, "%llu %s%s%s\n", ++log_seq, function, args[0] ? " " : "", args);
    if (len > (int)sizeof line - 1) {
        len = (int)sizeof line - 1;
        line[len - 1] = '\n';
    }
    /* One write per line on an O_APPEND descriptor: lines never interleave and reach the file at once. */
    ssize_t ignored = write(log_fd, line, (size_t)len);
    (void)ignored;
    pthread_mutex_unlock(&log_lock);
}

/* ---- shared entry checks --------------------------------------------------------------------------------- */

static int is_initialized(void)
{
    pthread_mutex_lock(&state_lock);
    int refs = init_refs;
    pthread_mutex_unlock(&state_lock);
    return refs > 0;
}

/* A handle is valid only if it is one this library handed out (NVML answers INVALID_ARGUMENT otherwise). */
static int valid_device(nvmlDevice_t device)
{
    uintptr_t address = (uintptr_t)device, base = (uintptr_t)gpus;
    return device != NULL && address >= base && address < base + gpu_count * sizeof gpus[0] &&
           (address - base) % sizeof gpus[0] == 0;
}

static const char *gpu_label(nvmlDevice_t device, char *buf, size_t size)
{
    if (valid_device(device)) {
        snprintf(buf, size, "%u", device->index);
    } else {
        snprintf(buf, size, "?");
    }
    return buf;
}

/* What NVML checks before a device function does anything: initialization, the handle, then injected faults. */
static nvmlReturn_t device_entry(const char *function, nvmlDevice_t device)
{
    if (!is_initialized()) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (!valid_device(device)) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    char scope[16];
    snprintf(scope, sizeof scope, "%u", device->index);
    return injected_fault(scope, function);
}

#define ENTER(device, format, ...)                                                                     \
    pthread_once(&config_once, configure);                                                             \
    char gpu_text_[16];                                                                                \
    log_call(__func__, "gpu=%s" format, gpu_label(device, gpu_text_, sizeof gpu_text_), ##__VA_ARGS__); \
    nvmlReturn_t entry_ = device_entry(__func__, device);                                              \
    if (entry_ != NVML_SUCCESS) {                                                                      \
        return entry_;                                                                                 \
    }

/* ---- power model ----------------------------------------------------------------------------------------- */

/* Board draw at time t: an idle-ish load with a slow swing and a ripple, slowed by locked clocks, capped by the limit. */
static double draw_mw(const struct nvmlDevice_st *g, double t)
{
    double draw = g->idle_draw_mw * (1.0 + 0.08 * sin(t * 1.3 + g->index) + 0.02 * sin(t * 29.0));
    if (g->gpu_clocks_locked) {
        double share = g->gpu_clock_max / MAX_GRAPHICS_MHZ;
        draw *= 0.55 + 0.45 * (share > 1.0 ? 1.0 : share);
    }
    if (draw > g->power_limit_mw) {
        draw = g->power_limit_mw * (0.98 + 0.01 * sin(t * 7.0));
    }
    return draw;
}

/* Integrates power into energy up to now; called with state_lock held before anything that changes the draw. */
static void integrate(struct nvmlDevice_st *g)
{
    double now = monotonic_seconds();
    double seconds = now - g->integrated_until;
    if (seconds > 0) {
        g->energy_mj += draw_mw(g, now) * seconds;
        g->integrated_until = now;
    }
}

/* ---- exported functions ---------------------------------------------------------------------------------- */

EXPORT const char *nvmlErrorString(nvmlReturn_t result)
{
    switch (result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_NO_PERMISSION: return "Insufficient Permissions";
    case NVML_ERROR_ALREADY_INITIALIZED: return "Already Initialized";
    case NVML_ERROR_NOT_FOUND: return "Not Found";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_INSUFFICIENT_POWER: return "Insufficient External Power";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    case NVML_ERROR_TIMEOUT: return "Timeout";
    case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
    case NVML_ERROR_UNKNOWN: return "Unknown Error";
    default: return "Unknown Error";
    }
}

EXPORT nvmlReturn_t nvmlInit_v2(void)
{
    pthread_once(&config_once, configure);
    log_call(__func__, "");
    if (init_fail[0] != '\0') {
        return (nvmlReturn_t)fault_code(init_fail);
    }
    nvmlReturn_t fault = injected_fault("global", __func__);
    if (fault != NVML_SUCCESS) {
        return fault;
    }
    pthread_mutex_lock(&state_lock);
    init_refs++;
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlShutdown(void)
{
    pthread_once(&config_once, configure);
    log_call(__func__, "");
    nvmlReturn_t fault = injected_fault("global", __func__);
    if (fault != NVML_SUCCESS) {
        return fault;
    }
    pthread_mutex_lock(&state_lock);
    nvmlReturn_t result = NVML_ERROR_UNINITIALIZED;
    if (init_refs > 0) {
        init_refs--;
        result = NVML_SUCCESS;
    }
    pthread_mutex_unlock(&state_lock);
    return result;
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount)
{
    pthread_once(&config_once, configure);
    log_call(__func__, "");
    if (!is_initialized()) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (deviceCount == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    nvmlReturn_t fault = injected_fault("global", __func__);
    if (fault != NVML_SUCCESS) {
        return fault;
    }
    *deviceCount = gpu_count;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
    pthread_once(&config_once, configure);
    log_call(__func__, "index=%u", index);
    if (!is_initialized()) {
        return NVML_ERROR_UNINITIALIZED;
    }
    if (device == NULL || index >= gpu_count) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    char scope[16];
    snprintf(scope, sizeof scope, "%u", index);
    nvmlReturn_t fault = injected_fault(scope, __func__);
    if (fault != NVML_SUCCESS) {
        return fault;
    }
    *device = &gpus[index];
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length)
{
    ENTER(device, " length=%u", length);
    if (name == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    if (strlen(device->name) + 1 > length) {
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    strcpy(name, device->name);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci)
{
    ENTER(device, "");
    if (pci == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    memset(pci, 0, sizeof *pci);
    pci->domain = device->domain;
    pci->bus = device->bus;
    pci->device = device->device;
    pci->pciDeviceId = 0x223510de;
    pci->pciSubSystemId = 0x145a10de;
    snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "%04X:%02X:%02X.0", device->domain & 0xffff, device->bus,
             device->device);
    snprintf(pci->busId, sizeof pci->busId, "%08X:%02X:%02X.0", device->domain, device->bus, device->device);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceSetPersistenceMode(nvmlDevice_t device, nvmlEnableState_t mode)
{
    ENTER(device, " mode=%d", (int)mode);
    if (mode != NVML_FEATURE_DISABLED && mode != NVML_FEATURE_ENABLED) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    pthread_mutex_lock(&state_lock);
    device->persistence = mode == NVML_FEATURE_ENABLED;
    save_state();
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPersistenceMode(nvmlDevice_t device, nvmlEnableState_t *mode)
{
    ENTER(device, "");
    if (mode == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    pthread_mutex_lock(&state_lock);
    *mode = device->persistence ? NVML_FEATURE_ENABLED : NVML_FEATURE_DISABLED;
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceSetPowerManagementLimit(nvmlDevice_t device, unsigned int limit)
{
    ENTER(device, " limit=%u", limit);
    if (limit < MIN_LIMIT_MW || limit > MAX_LIMIT_MW) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    pthread_mutex_lock(&state_lock);
    integrate(device);
    device->power_limit_mw = limit;
    save_state();
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerManagementLimit(nvmlDevice_t device, unsigned int *limit)
{
    ENTER(device, "");
    if (limit == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    pthread_mutex_lock(&state_lock);
    *limit = device->power_limit_mw;
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerManagementLimitConstraints(nvmlDevice_t device, unsigned int *minLimit,
                                                                 unsigned int *maxLimit)
{
    ENTER(device, "");
    if (minLimit == NULL || maxLimit == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    *minLimit = MIN_LIMIT_MW;
    *maxLimit = MAX_LIMIT_MW;
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceSetGpuLockedClocks(nvmlDevice_t device, unsigned int minGpuClockMHz,
                                                 unsigned int maxGpuClockMHz)
{
    ENTER(device, " min=%u max=%u", minGpuClockMHz, maxGpuClockMHz);
    if (minGpuClockMHz > maxGpuClockMHz) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    pthread_mutex_lock(&state_lock);
    integrate(device);
    device->gpu_clocks_locked = 1;
    device->gpu_clock_min = minGpuClockMHz;
    device->gpu_clock_max = maxGpuClockMHz;
    save_state();
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceResetGpuLockedClocks(nvmlDevice_t device)
{
    ENTER(device, "");
    pthread_mutex_lock(&state_lock);
    integrate(device);
    device->gpu_clocks_locked = 0;
    save_state();
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceSetMemoryLockedClocks(nvmlDevice_t device, unsigned int minMemClockMHz,
                                                    unsigned int maxMemClockMHz)
{
    ENTER(device, " min=%u max=%u", minMemClockMHz, maxMemClockMHz);
    if (minMemClockMHz > maxMemClockMHz) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    pthread_mutex_lock(&state_lock);
    device->mem_clocks_locked = 1;
    device->mem_clock_min = minMemClockMHz;
    device->mem_clock_max = maxMemClockMHz;
    save_state();
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceResetMemoryLockedClocks(nvmlDevice_t device)
{
    ENTER(device, "");
    pthread_mutex_lock(&state_lock);
    device->mem_clocks_locked = 0;
    save_state();
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy)
{
    ENTER(device, "");
    if (energy == NULL) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    if (!device->energy_supported) {
        return NVML_ERROR_NOT_SUPPORTED;
    }
    unsigned long long fixed;
    if (read_control_u64("energy", device->index, &fixed)) {
        *energy = fixed;
        return NVML_SUCCESS;
    }
    pthread_mutex_lock(&state_lock);
    integrate(device);
    *energy = (unsigned long long)device->energy_mj;
    pthread_mutex_unlock(&state_lock);
    return NVML_SUCCESS;
}

static void fill_power(nvmlDevice_t device, nvmlFieldValue_t *value)
{
    unsigned long long power, type = NVML_VALUE_TYPE_UNSIGNED_INT;
    if (!read_control_u64("power", device->index, &power)) {
        pthread_mutex_lock(&state_lock);
        integrate(device);
        power = (unsigned long long)draw_mw(device, monotonic_seconds());
        pthread_mutex_unlock(&state_lock);
    }
    read_control_u64("valuetype", device->index, &type);
    value->valueType = (nvmlValueType_t)type;
    memset(&value->value, 0, sizeof value->value);
    switch (type) {
    case NVML_VALUE_TYPE_DOUBLE: value->value.dVal = (double)power; break;
    case NVML_VALUE_TYPE_UNSIGNED_INT: value->value.uiVal = (unsigned int)power; break;
    case NVML_VALUE_TYPE_UNSIGNED_LONG: value->value.ulVal = (unsigned long)power; break;
    case NVML_VALUE_TYPE_UNSIGNED_LONG_LONG: value->value.ullVal = power; break;
    case NVML_VALUE_TYPE_SIGNED_LONG_LONG: value->value.sllVal = (long long)power; break;
    case NVML_VALUE_TYPE_SIGNED_INT: value->value.siVal = (int)power; break;
    default: value->value.usVal = (unsigned short)power; break;
    }
}

EXPORT nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t device, int valuesCount, nvmlFieldValue_t *values)
{
    char fields[256] = "";
    if (values != NULL) {
        size_t used = 0;
        for (int i = 0; i < valuesCount && used < sizeof fields - 24; i++) {
            used += (size_t)snprintf(fields + used, sizeof fields - used, "%s%u:%u", i ? "," : "", values[i].fieldId,
                                     values[i].scopeId);
        }
    }
    ENTER(device, " count=%d fields=%s", valuesCount, fields);
    if (values == NULL || valuesCount <= 0) {
        return NVML_ERROR_INVALID_ARGUMENT;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char field_fault[64];
    char name[32];
    snprintf(name, sizeof name, "field.%u", device->index);
    int per_field_fault = read_control(name, field_fault, sizeof field_fault);
    for (int i = 0; i < valuesCount; i++) {
        nvmlFieldValue_t *value = &values[i];
        value->timestamp = (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
        value->latencyUsec = 0;
        if (value->fieldId != NVML_FI_DEV_POWER_INSTANT) {
            value->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
        } else if (per_field_fault) {
            value->nvmlReturn = (nvmlReturn_t)fault_code(field_fault);
        } else {
            value->nvmlReturn = NVML_SUCCESS;
            fill_power(device, value);
        }
    }
    return NVML_SUCCESS;
}
