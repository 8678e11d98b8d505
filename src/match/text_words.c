/* text_words.c - ordinary words that also occur as listed names.
 *
 * Lists hold nicknames and short aliases that are everyday words ("The
 * Base", "Leader", "Chairman", "Israel", "NGO"). In running text such a
 * word alone is no mention of a party, so the free-text scanner asks for
 * more evidence before it alerts on one. The words are in the matcher's
 * alphabet: lower-case ASCII after transliteration, so Russian and Arabic
 * function words appear in their romanised form. */
#include "text_words.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

static const char *const WORDS[] = {
    /* English: function words */
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
    "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of",
    "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
    "said", "says", "new", "one", "two", "three", "four", "five", "first", "last",
    "next", "many", "much", "may", "might", "must", "per", "via", "yet", "ago",
    /* English: words that lists use as nicknames or name parts */
    "base", "group", "front", "army", "state", "states", "leader", "chairman",
    "general", "major", "doctor", "uncle", "father", "brother", "son", "sheikh",
    "emir", "commander", "chief", "president", "minister", "director", "defender",
    "punisher", "terminator", "professor", "engineer", "captain", "colonel",
    "special", "international", "national", "global", "islamic", "holy", "land",
    "relief", "trust", "bank", "company", "trading", "services", "office",
    "bureau", "industries", "industry", "foundation", "society", "institute",
    "movement", "party", "council", "committee", "union", "people", "peoples",
    "republic", "democratic", "liberation", "revolutionary", "united", "unity",
    "freedom", "justice", "truth", "peace", "victory", "martyrs", "brigade",
    "brigades", "battalion", "force", "forces", "guard", "guards", "network",
    "world", "east", "west", "north", "south", "eastern", "western", "northern",
    "southern", "central", "great", "greater", "grand", "high", "higher", "old",
    "young", "big", "little", "small", "black", "white", "red", "green", "blue",
    "gold", "golden", "star", "sun", "moon", "light", "lion", "tiger", "eagle",
    "wolf", "fox", "bear", "snake", "ghost", "shadow", "storm", "fire", "rock",
    "stone", "iron", "steel", "oil", "gas", "energy", "power", "trade", "import",
    "export", "shipping", "marine", "maritime", "ocean", "sea", "river", "rivers",
    "mountain", "valley", "city", "town", "village", "road", "street", "house",
    "home", "school", "center", "centre", "market", "money", "finance", "capital",
    "investment", "development", "construction", "engineering", "technology",
    "science", "research", "education", "health", "medical", "charity",
    "humanitarian", "aid", "welfare", "benevolence", "mercy", "hope", "faith",
    "jihad", "mujahid", "mujahideen", "mujahidin", "martyr", "believers",
    "monotheism", "caesar", "pharaoh", "omega", "alpha", "delta", "romeo",
    "joker", "doc", "boss", "king", "prince", "queen", "lord", "master", "teacher",
    "student", "police", "military", "navy", "air", "airline", "airlines",
    "aviation", "transport", "logistics", "supply", "general", "limited", "public",
    "private", "joint", "stock", "holding", "free", "zone", "port", "island",
    "islands", "media", "news", "press", "radio", "television", "tv",
    "para", "para", "tek", "joe", "mid", "pad", "sep", "dio", "kaa",
    /* Countries, nationalities and places news text names all the time */
    "afghanistan", "afghan", "algeria", "algerian", "america", "american", "iraq",
    "iraqi", "iran", "iranian", "israel", "israeli", "syria", "syrian", "libya",
    "libyan", "yemen", "yemeni", "somalia", "somali", "sudan", "sudanese", "chad",
    "chadian", "mali", "malian", "niger", "nigeria", "nigerian", "congo",
    "congolese", "korea", "korean", "pakistan", "pakistani", "india", "indian",
    "russia", "russian", "china", "chinese", "egypt", "egyptian", "jordan",
    "jordanian", "lebanon", "lebanese", "turkey", "turkish", "tunisia",
    "tunisian", "morocco", "moroccan", "saudi", "arabia", "arabian", "arab",
    "kuwait", "qatar", "emirates", "oman", "bahrain", "europe", "european",
    "africa", "african", "asia", "asian", "france", "french", "germany", "german",
    "britain", "british", "england", "english", "london", "paris", "moscow",
    "washington", "baghdad", "damascus", "kabul", "tehran", "cairo", "beirut",
    "gaza", "levant", "maghreb", "sahara", "sahel", "peninsula", "philippines",
    "indonesia", "malaysia", "thailand", "haiti", "liberia", "guinea", "rwanda",
    "burundi", "uganda", "kenya", "ethiopia", "eritrea", "balkans", "bosnia",
    "serbia", "kosovo", "ukraine", "belarus", "georgia", "chechnya", "dagestan",
    "uzbekistan", "tajikistan", "kazakhstan", "turkmenistan", "kyrgyzstan",
    "europe", "mesopotamia", "khorasan", "kurdistan", "sinai",
    "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
    /* Common acronyms of everyday text */
    "ngo", "un", "uk", "us", "usa", "eu", "nato", "ceo", "cfo", "gdp", "vat", "id",
    "ssl", "rgb", "pdf", "faq", "bbc", "cnn", "imf", "who", "ok", "am", "pm",
    /* French */
    "le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "en", "dans",
    "pour", "par", "sur", "avec", "ce", "cette", "ces", "qui", "que", "pas",
    "plus", "ne", "au", "aux", "son", "sa", "ses", "leur", "leurs", "il", "elle",
    "ils", "elles", "nous", "vous", "on", "mais", "ou", "donc", "etat", "armee",
    "groupe", "chef", "pays", "selon", "entre", "apres", "avant", "contre",
    "sans", "sous", "tres", "aussi", "comme", "tout", "tous", "toute", "monde",
    "poete", "blanc", "noir", "rouge", "grand", "petit", "oncle", "frere",
    /* Spanish, Portuguese, Italian */
    "el", "los", "las", "y", "o", "del", "al", "con", "por", "para", "una", "uno",
    "es", "se", "lo", "como", "pero", "mas", "sus", "su", "este", "esta", "nada",
    "todo", "estado", "grupo", "ejercito", "e", "do", "da", "dos", "das", "em",
    "um", "uma", "nao", "il", "di", "che", "non", "per", "gli", "della", "dello",
    /* German */
    "der", "die", "das", "und", "ist", "nicht", "mit", "den", "dem", "ein",
    "eine", "auf", "fur", "von", "zu", "im", "bei", "aus", "nach", "staat",
    "gruppe",
    /* Russian, romanised as the matcher does */
    "i", "v", "na", "ne", "s", "chto", "on", "ona", "oni", "kak", "po", "za",
    "iz", "ot", "do", "dlya", "pri", "eto", "etot", "byl", "byla", "bylo", "ili",
    "no", "zhe", "uzhe", "tak", "tak", "kotoryy", "takzhe", "gruppa",
    "gosudarstvo", "lider", "glava", "brat", "otets", "dyadya",
    /* Arabic, romanised as the matcher does (no short vowels) */
    "fy", "fi", "mn", "min", "ly", "aly", "ala", "n", "an", "m", "ma", "la", "hdha",
    "hdhh", "dhlk", "alty", "aldhy", "kan", "qal", "wqal", "bd", "qbl", "bn", "wa",
    "ya", "w", "ant", "hw", "hy", "hm", "nhn", "kl", "ay", "aw", "lm", "ln", "qd",
    "thm", "hty", "nd", "mndh", "byn", "ywm", "bd", "kma", "aydan", "dd",
    NULL};

enum { TABLE_SIZE = 2048 };   /* power of two, over twice the words */

static const char *table[TABLE_SIZE];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static uint32_t word_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static void build_table(void)
{
    for (const char *const *w = WORDS; *w; w++) {
        size_t n = strlen(*w);
        uint32_t h = word_hash(*w, n) & (TABLE_SIZE - 1);
        while (table[h] && strcmp(table[h], *w) != 0)
            h = (h + 1) & (TABLE_SIZE - 1);
        table[h] = *w;
    }
}

bool text_common_word(const char *w, size_t n)
{
    pthread_once(&table_once, build_table);
    if (n == 0)
        return false;
    for (uint32_t h = word_hash(w, n) & (TABLE_SIZE - 1); table[h];
         h = (h + 1) & (TABLE_SIZE - 1))
        if (strlen(table[h]) == n && memcmp(table[h], w, n) == 0)
            return true;
    return false;
}
