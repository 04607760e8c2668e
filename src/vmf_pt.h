/*
 * vmf_pt.h - page-table model, reader interface, walker and top-level comparison.
 *
 * Plain C99, no crash headers: the same code serves the crash extension, the CLI
 * and the unit tests on synthetic tables.  Every entry read has three states
 * (present, not present, unreadable-with-reason); unreadable is never turned into 0.
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

/* ---- single-address walk -------------------------------------------- */

enum vmf_entry_state {
	VMF_ENTRY_PRESENT = 0,
	VMF_ENTRY_NOT_PRESENT,
	VMF_ENTRY_UNREADABLE,
};

struct vmf_step {
	enum vmf_level kind;
	int depth;                 /* 0 = top */
	uint64_t table;            /* physical address of the table page */
	unsigned index;
	uint64_t entry_paddr;      /* table + index * 8 */
	uint64_t entry;            /* raw value; meaningless when UNREADABLE */
	enum vmf_entry_state state;
	int leaf;                  /* present and maps memory (PSE, or a pte) */
	uint64_t page_size;        /* for a leaf */
	uint64_t frame;            /* next table, or the page for a leaf */
	char why[96];              /* reason when UNREADABLE or the entry is bad */
};

enum vmf_walk_result {
	VMF_WALK_MAPPED = 0,
	VMF_WALK_NOT_MAPPED,       /* a level is not present: last step says which */
	VMF_WALK_UNREADABLE,       /* a table could not be read: last step says why */
	VMF_WALK_NONCANONICAL,     /* no step taken */
	VMF_WALK_BAD_ENTRY,        /* reserved bits, frame beyond memory, PSE where none exists, self-reference */
};

struct vmf_walk {
	uint64_t vaddr;
	uint64_t root;             /* physical address of the top table */
	int nsteps;
	struct vmf_step step[VMF_MAX_DEPTH];
	enum vmf_walk_result result;
	uint64_t paddr;            /* when MAPPED */
	uint64_t page_size;        /* when MAPPED */
};

/* Returns result (also stored in w->result). Never reads more than one entry per level. */
enum vmf_walk_result vmf_walk_va(const struct vmf_paging *p, const struct vmf_reader *r,
				 uint64_t root, uint64_t vaddr, struct vmf_walk *w);
const char *vmf_walk_result_name(enum vmf_walk_result res);

/* ---- range walker (ptdump style: the walker knows nothing about output) ---- */

/*
 * Called for every present, unreadable or bad entry met while walking [start, end]
 * (not for not-present ones).  va_start/va_end: the range the entry covers.
 * Return nonzero to stop the walk.
 */
typedef int (*vmf_visit_fn)(void *arg, const struct vmf_step *s,
			    uint64_t va_start, uint64_t va_end);

struct vmf_range_stats {
	uint64_t entries_read;     /* entries examined */
	uint64_t tables_read;      /* table pages read */
	uint64_t unreadable;       /* tables that could not be read */
	int stopped;               /* visit returned nonzero */
	int limited;               /* hit max_tables: the walk is incomplete */
};

/*
 * Walk every table under root covering [start, end], down to max_depth levels
 * (1 = top level only).  Each table page is read once, whole.  max_tables bounds the
 * work (0 = 1<<20).  Returns 0, or -1 if the walk stopped early (see stats).
 */
int vmf_walk_range(const struct vmf_paging *p, const struct vmf_reader *r, uint64_t root,
		   uint64_t start, uint64_t end, int max_depth, uint64_t max_tables,
		   vmf_visit_fn visit, void *arg, struct vmf_range_stats *stats);

/* ---- top level: read and compare ------------------------------------ */

#define VMF_TOP_MAX 512

struct vmf_top {
	uint64_t root;
	int readable;              /* 0: the whole table could not be read (why) */
	char why[96];
	uint64_t entry[VMF_TOP_MAX];
};

/* Reads the whole top-level table (one read). */
int vmf_read_top(const struct vmf_paging *p, const struct vmf_reader *r, uint64_t root,
		 struct vmf_top *t);

enum vmf_slot_cmp {
	VMF_SLOT_SAME = 0,         /* equal (hardware-set A/D bits ignored) or both empty */
	VMF_SLOT_MISSING,          /* init_mm present, the mm's not present */
	VMF_SLOT_DIFFERENT,        /* both present, different frame or flags */
	VMF_SLOT_EXTRA,            /* the mm present, init_mm not present */
	VMF_SLOT_UNREADABLE,       /* the mm's table could not be read */
};

/* Compare one slot of mm against the reference (init_mm). */
enum vmf_slot_cmp vmf_compare_slot(const struct vmf_top *ref, const struct vmf_top *mm,
				   unsigned slot);
const char *vmf_slot_cmp_name(enum vmf_slot_cmp c);

/* Per-slot tallies over many mms. */
struct vmf_audit {
	const struct vmf_paging *p;
	struct vmf_top ref;        /* init_mm's top level, read once */
	unsigned first_slot, last_slot;   /* kernel half */
	unsigned long mms;         /* mms compared */
	unsigned long unreadable_mms;
	unsigned long missing[VMF_TOP_MAX];
	unsigned long different[VMF_TOP_MAX];
	unsigned long extra[VMF_TOP_MAX];
};

void vmf_audit_init(struct vmf_audit *a, const struct vmf_paging *p);
/* Tally one mm; returns the number of kernel-half slots where it deviates (or -1 if unreadable). */
int vmf_audit_add(struct vmf_audit *a, const struct vmf_top *mm);

#endif
