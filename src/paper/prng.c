/* prng: xoshiro256** (Blackman and Vigna, public domain reference algorithm) seeded
 * with splitmix64, plus bounded, Bernoulli and table-normal draws (prng.h). */
#include "paper/prng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void prng_seed(struct prng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t prng_next(struct prng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Lemire's multiply-shift with rejection: exact uniformity without division in
 * the common case. */
uint64_t prng_below(struct prng *r, uint64_t n)
{
	if (n == 0)
		return 0;
	unsigned __int128 m = (unsigned __int128)prng_next(r) * n;
	uint64_t lo = (uint64_t)m;
	if (lo < n) {
		uint64_t t = -n % n;
		while (lo < t) {
			m = (unsigned __int128)prng_next(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

int64_t prng_range(struct prng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
	if (span == 0) /* the whole int64 range */
		return (int64_t)prng_next(r);
	return (int64_t)((uint64_t)lo + prng_below(r, span));
}

bool prng_chance_ppm(struct prng *r, uint32_t ppm)
{
	if (ppm >= 1000000u)
		return true;
	if (ppm == 0)
		return false;
	return prng_below(r, 1000000u) < ppm;
}

bool prng_chance(struct prng *r, uint64_t num, uint64_t den)
{
	if (den == 0 || num == 0)
		return false;
	if (num >= den)
		return true;
	return prng_below(r, den) < num;
}

/* Phi^-1(i / 256) * 1e6 for i = 1..255; the ends are Phi^-1(1/2048) and its
 * mirror, so the outermost buckets stay finite. */
static const int32_t normal_q[257] = {
        -3297193, -2660067, -2417559, -2266227, -2153875, -2063528, -1987428, -1921351, -1862732,
        -1809892, -1761670, -1717228, -1675940, -1637325, -1601009, -1566689, -1534121, -1503103,
        -1473468, -1445073, -1417797, -1391537, -1366204, -1341718, -1318011, -1295022, -1272699,
        -1250992, -1229859, -1209261, -1189164, -1169537, -1150349, -1131577, -1113194, -1095181,
        -1077516, -1060180, -1043158, -1026433, -1009990, -993816,  -977898,  -962223,  -946782,
        -931563,  -916557,  -901754,  -887147,  -872726,  -858484,  -844415,  -830511,  -816765,
        -803173,  -789727,  -776422,  -763253,  -750215,  -737304,  -724514,  -711842,  -699283,
        -686834,  -674490,  -662248,  -650104,  -638056,  -626099,  -614231,  -602449,  -590751,
        -579132,  -567591,  -556126,  -544733,  -533410,  -522155,  -510966,  -499840,  -488776,
        -477772,  -466825,  -455934,  -445097,  -434311,  -423576,  -412890,  -402250,  -391656,
        -381105,  -370597,  -360130,  -349702,  -339312,  -328958,  -318639,  -308355,  -298102,
        -287881,  -277690,  -267528,  -257394,  -247285,  -237202,  -227143,  -217107,  -207093,
        -197099,  -187125,  -177170,  -167232,  -157311,  -147405,  -137513,  -127635,  -117770,
        -107916,  -98072,   -88238,   -78412,   -68594,   -58783,   -48977,   -39176,   -29379,
        -19584,   -9792,    0,        9792,     19584,    29379,    39176,    48977,    58783,
        68594,    78412,    88238,    98072,    107916,   117770,   127635,   137513,   147405,
        157311,   167232,   177170,   187125,   197099,   207093,   217107,   227143,   237202,
        247285,   257394,   267528,   277690,   287881,   298102,   308355,   318639,   328958,
        339312,   349702,   360130,   370597,   381105,   391656,   402250,   412890,   423576,
        434311,   445097,   455934,   466825,   477772,   488776,   499840,   510966,   522155,
        533410,   544733,   556126,   567591,   579132,   590751,   602449,   614231,   626099,
        638056,   650104,   662248,   674490,   686834,   699283,   711842,   724514,   737304,
        750215,   763253,   776422,   789727,   803173,   816765,   830511,   844415,   858484,
        872726,   887147,   901754,   916557,   931563,   946782,   962223,   977898,   993816,
        1009990,  1026433,  1043158,  1060180,  1077516,  1095181,  1113194,  1131577,  1150349,
        1169537,  1189164,  1209261,  1229859,  1250992,  1272699,  1295022,  1318011,  1341718,
        1366204,  1391537,  1417797,  1445073,  1473468,  1503103,  1534121,  1566689,  1601009,
        1637325,  1675940,  1717228,  1761670,  1809892,  1862732,  1921351,  1987428,  2063528,
        2153875,  2266227,  2417559,  2660067,  3297193,
};

int64_t prng_normal_ppm(struct prng *r)
{
	uint64_t x = prng_next(r);
	unsigned b = (unsigned)(x >> 56);             /* bucket 0..255 */
	int64_t f = (int64_t)((x >> 32) & 0xffffffu); /* position in it, 24 bits */
	int64_t lo = normal_q[b], hi = normal_q[b + 1];
	return lo + ((hi - lo) * f >> 24);
}
