// SPDX-License-Identifier: Apache-2.0
// bench: CPU benchmark kernels (CRC32, matrix multiply, sorting, expression parsing, division);
// prints one checksum per kernel and a total, the same on every correct platform.
#include "support.h"

#ifndef BENCH_SCALE
#define BENCH_SCALE 200
#endif

static uint32_t rng_state = 12345u;

static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state;
}

// --- CRC32 (reflected, polynomial 0xEDB88320), table-driven ---
static uint32_t crc_table[256];
static uint8_t crc_data[4096];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    for (unsigned i = 0; i < sizeof crc_data; ++i) crc_data[i] = (uint8_t)(rng() >> 24);
}

static uint32_t crc32(const uint8_t* p, unsigned n, uint32_t crc)
{
    crc = ~crc;
    while (n-- != 0) crc = crc_table[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

static uint32_t bench_crc(unsigned reps)
{
    uint32_t crc = 0;
    for (unsigned r = 0; r < reps; ++r) crc = crc32(crc_data, sizeof crc_data, crc);
    return crc;
}

// --- Integer matrix multiply ---
#define N 24
static int32_t ma[N][N], mb[N][N], mc[N][N];

static uint32_t bench_matmul(unsigned reps)
{
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
            ma[i][j] = (int32_t)(rng() % 201) - 100;
            mb[i][j] = (int32_t)(rng() % 201) - 100;
        }
    uint32_t sum = 0;
    for (unsigned r = 0; r < reps; ++r) {
        for (int i = 0; i < N; ++i)
            for (int j = 0; j < N; ++j) {
                int32_t acc = 0;
                for (int k = 0; k < N; ++k) acc += ma[i][k] * mb[k][j];
                mc[i][j] = acc;
            }
        sum = sum * 31u + (uint32_t)mc[r % N][(r * 7) % N];
        ma[r % N][(r * 3) % N] += 1; // keep each repetition different
    }
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) sum += (uint32_t)mc[i][j] * (uint32_t)(i + 1);
    return sum;
}

// --- Sorting: heap sort then insertion sort on fresh random data ---
#define SORT_N 1024
static uint32_t sort_buf[SORT_N];

static void sift_down(uint32_t* a, unsigned start, unsigned end)
{
    unsigned root = start;
    while (2 * root + 1 <= end) {
        unsigned child = 2 * root + 1;
        unsigned swap = root;
        if (a[swap] < a[child]) swap = child;
        if (child + 1 <= end && a[swap] < a[child + 1]) swap = child + 1;
        if (swap == root) return;
        uint32_t t = a[root];
        a[root] = a[swap];
        a[swap] = t;
        root = swap;
    }
}

static void heap_sort(uint32_t* a, unsigned n)
{
    for (int start = (int)(n - 2) / 2; start >= 0; --start) sift_down(a, (unsigned)start, n - 1);
    for (unsigned end = n - 1; end > 0; --end) {
        uint32_t t = a[end];
        a[end] = a[0];
        a[0] = t;
        sift_down(a, 0, end - 1);
    }
}

static void insertion_sort(uint32_t* a, unsigned n)
{
    for (unsigned i = 1; i < n; ++i) {
        uint32_t v = a[i];
        unsigned j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            --j;
        }
        a[j] = v;
    }
}

static uint32_t bench_sort(unsigned reps)
{
    uint32_t sum = 0;
    for (unsigned r = 0; r < reps; ++r) {
        for (unsigned i = 0; i < SORT_N; ++i) sort_buf[i] = rng() % 100000u;
        heap_sort(sort_buf, SORT_N);
        for (unsigned i = 1; i < SORT_N; ++i) CHECK(sort_buf[i - 1] <= sort_buf[i]);
        for (unsigned i = 0; i < 128; ++i) sort_buf[i] = rng() % 1000u;
        insertion_sort(sort_buf, 128);
        for (unsigned i = 0; i < SORT_N; i += 64) sum = sum * 33u + sort_buf[i];
    }
    return sum;
}

// --- Expression parser: recursive descent over generated arithmetic text ---
static char expr_buf[512];
static const char* expr_pos;

static int32_t parse_expr(void);

static int32_t parse_primary(void)
{
    if (*expr_pos == '(') {
        ++expr_pos;
        int32_t v = parse_expr();
        CHECK(*expr_pos == ')');
        ++expr_pos;
        return v;
    }
    if (*expr_pos == '-') {
        ++expr_pos;
        return -parse_primary();
    }
    int32_t v = 0;
    CHECK(*expr_pos >= '0' && *expr_pos <= '9');
    while (*expr_pos >= '0' && *expr_pos <= '9') v = v * 10 + (*expr_pos++ - '0');
    return v;
}

static int32_t parse_term(void)
{
    int32_t v = parse_primary();
    while (*expr_pos == '*' || *expr_pos == '/' || *expr_pos == '%') {
        char op = *expr_pos++;
        int32_t r = parse_primary();
        if (op == '*') v *= r;
        else if (r == 0) v = 0;
        else if (op == '/') v /= r;
        else v %= r;
    }
    return v;
}

static int32_t parse_expr(void)
{
    int32_t v = parse_term();
    while (*expr_pos == '+' || *expr_pos == '-') {
        char op = *expr_pos++;
        int32_t r = parse_term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}

static char* gen_number(char* p)
{
    uint32_t v = rng() % 1000u;
    char tmp[4];
    int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v != 0);
    while (n > 0) *p++ = tmp[--n];
    return p;
}

static char* gen_expr(char* p, int depth)
{
    static const char ops[] = "+-*/%";
    int terms = 2 + (int)(rng() % 4);
    for (int t = 0; t < terms; ++t) {
        if (t > 0) *p++ = ops[rng() % 5];
        if (depth > 0 && rng() % 3 == 0) {
            *p++ = '(';
            p = gen_expr(p, depth - 1);
            *p++ = ')';
        } else {
            if (rng() % 7 == 0) *p++ = '-';
            p = gen_number(p);
        }
    }
    return p;
}

static uint32_t bench_parse(unsigned reps)
{
    uint32_t sum = 0;
    for (unsigned r = 0; r < reps; ++r) {
        char* end = gen_expr(expr_buf, 3);
        *end = '\0';
        CHECK(end < expr_buf + sizeof expr_buf);
        for (int k = 0; k < 4; ++k) {
            expr_pos = expr_buf;
            int32_t v = parse_expr();
            CHECK(*expr_pos == '\0');
            sum = sum * 17u + (uint32_t)v;
        }
    }
    return sum;
}

// --- Division: 32-bit hardware divide and 64-bit software divide ---
static uint32_t bench_div(unsigned reps)
{
    uint32_t sum = 0;
    for (unsigned r = 0; r < reps; ++r) {
        uint32_t a = rng() | 1u;
        uint32_t b = (rng() >> (r % 24)) | 1u;
        int32_t sa = (int32_t)rng();
        int32_t sb = (int32_t)(rng() >> 8) - 0x400000;
        if (sb == 0) sb = 3;
        sum += a / b + a % b;
        sum ^= (uint32_t)(sa / sb) + (uint32_t)(sa % sb);
        if (r % 16 == 0) {
            uint64_t wide = ((uint64_t)rng() << 32) | rng();
            sum += (uint32_t)(wide / (uint64_t)(b | 0x10000u)) + (uint32_t)(wide % 1000003u);
        }
    }
    return sum;
}

typedef struct {
    const char* name;
    uint32_t (*run)(unsigned reps);
    unsigned reps;
} Kernel;

static const Kernel kKernels[] = {
    {"crc32", bench_crc, 12 * BENCH_SCALE},
    {"matmul", bench_matmul, 24 * BENCH_SCALE},
    {"sort", bench_sort, 6 * BENCH_SCALE},
    {"parse", bench_parse, 300 * BENCH_SCALE},
    {"div", bench_div, 20000 * BENCH_SCALE},
};

int main(void)
{
    console_printf("bench: CPU kernels, scale %u\n", (unsigned)BENCH_SCALE);
    crc_init();
    uint32_t total = 0;
    for (unsigned i = 0; i < sizeof kKernels / sizeof kKernels[0]; ++i) {
        uint32_t c = kKernels[i].run(kKernels[i].reps);
        console_printf("%-8s reps %6u checksum %08x\n", kKernels[i].name, kKernels[i].reps, (unsigned)c);
        total = total * 2654435761u + c;
    }
    console_printf("total checksum %08x\n", (unsigned)total);
    return 0;
}
