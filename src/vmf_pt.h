/*
 * vmf_pt.h - the page-table model as data, and the reader interface through
 * which the engine reads physical memory.
 *
 * Plain C99, no crash headers: the same code serves the crash extension, the CLI
 * and the unit tests on synthetic tables.  Every entry read has three states
 * (present, not present, unreadable-with-reason); unreadable is never turned into 0.
 * The walkers are in vmf_walk.h, the top-level comparison in vmf_audit.h.
 */
#ifndef VMF_PT_H
#define VMF_PT_H

#include <stddef.h>
#include <stdint.h>

/* ---- reader ---------------------------------------------------------- */

/*
 * The only way the engine touches memory.  read_phys() returns 0 and fills buf,
 * or returns nonzero and writes a short reason into why ("page excluded from dump",
 * "beyond end of dump", ...).  The engine never retries and never guesses.
 */
struct vmf_reader {
	void *ctx;
	int (*read_phys)(void *ctx, uint64_t paddr, void *buf, size_t len,
			 char *why, size_t whylen);
};

/* ---- paging model ---------------------------------------------------- */

/* What a level is called in the kernel; the walk lists them from the top. */
enum vmf_level { VMF_PGD = 0, VMF_P4D, VMF_PUD, VMF_PMD, VMF_PTE, VMF_NLEVELS };

#define VMF_MAX_DEPTH 5

/* x86 entry bits (same meaning in 4-level, 5-level and PAE). */
#define VMF_E_P    (1ULL << 0)
#define VMF_E_RW   (1ULL << 1)
#define VMF_E_US   (1ULL << 2)
#define VMF_E_PWT  (1ULL << 3)
#define VMF_E_PCD  (1ULL << 4)
#define VMF_E_A    (1ULL << 5)
#define VMF_E_D    (1ULL << 6)
#define VMF_E_PSE  (1ULL << 7)
#define VMF_E_G    (1ULL << 8)
#define VMF_E_NX   (1ULL << 63)

/*
 * A paging form as data, in the spirit of libaddrxlat's "x86_64:12,9,9,9,9":
 * 4- and 5-level differ only in this table.
 */
struct vmf_paging {
	const char *name;           /* "x86_64 4-level", "x86_64 5-level", "x86 PAE" */
	int depth;                  /* number of levels walked: 3, 4 or 5 */
	enum vmf_level kind[VMF_MAX_DEPTH];   /* kinds from the top */
	unsigned shift[VMF_MAX_DEPTH];        /* va shift of each level's index */
	unsigned bits[VMF_MAX_DEPTH];         /* index bits of each level */
	unsigned va_bits;           /* 48, 57 or 32 */
	int canonical;              /* addresses must be sign-extended from va_bits-1 */
	uint64_t frame_mask;        /* physical frame bits of an entry */
	uint64_t max_paddr;         /* entries pointing at or above this are bad; 0 = unknown */
	/*
	 * On a kernel built with 5-level support but running 4-level, the p4d is
	 * folded into the pgd: the kernel prints "PGD x P4D x" with equal values and
	 * calls the top-level slot a p4d.  Only the name changes, not the walk.
	 */
	int p4d_folded;
	/* Bit that makes a pud/pmd a leaf (PSE); 0 at levels where no leaf exists. */
	int large_ok[VMF_NLEVELS];
};

void vmf_paging_x86_64(struct vmf_paging *p, int levels, int p4d_folded);
void vmf_paging_pae(struct vmf_paging *p);

const char *vmf_level_name(enum vmf_level k);          /* "PGD", "P4D", ... */
/* Name of the top-level slot as the kernel would say it: "pgd" or "p4d". */
const char *vmf_top_name(const struct vmf_paging *p);
unsigned vmf_index(const struct vmf_paging *p, int depth, uint64_t vaddr);
int vmf_is_canonical(const struct vmf_paging *p, uint64_t vaddr);
/* First and last address covered by top-level slot 'slot' (sign-extended). */
uint64_t vmf_top_slot_start(const struct vmf_paging *p, unsigned slot);
uint64_t vmf_top_slot_end(const struct vmf_paging *p, unsigned slot);
unsigned vmf_top_entries(const struct vmf_paging *p);   /* 512, or 4 for PAE */
/* First kernel-half top-level slot (256 on x86-64, 3 on PAE with 3G/1G split). */
unsigned vmf_top_kernel_first(const struct vmf_paging *p);

/* "P RW A PSE G NX" style flag list (crash's vtop names are longer; see report). */
char *vmf_flags_short(uint64_t entry, char *buf, size_t len);
/* "(PRESENT|RW|ACCESSED|...)" exactly as crash's vtop prints them. */
char *vmf_flags_crash(uint64_t entry, int leaf, char *buf, size_t len);
uint64_t vmf_page_size(const struct vmf_paging *p, int depth);  /* 4K/2M/1G/... */
const char *vmf_size_name(uint64_t size);                        /* "4K", "2M", "1G" */

/*
 * A hexadecimal address as a user types it, with or without 0x: 0, or -1 if it
 * is not hexadecimal (a sign, a space, no digits), -2 if it needs more than 64
 * bits.  Never wraps or saturates: ffffffffffffffffff is an error, not ff..ff.
 */
int vmf_parse_addr(const char *s, uint64_t *addr);

#endif
