/*
 * gmime_floor: the C floor for tuibao's parse benchmark.
 *
 * Does with GMime directly what `tuibao-bench parse` does through the Swift
 * binding, minus the binding and minus writing attachments to disk:
 * for each file, open it as a GMime fs stream, parse with a persistent
 * stream, decode Subject and From, walk every part and write each leaf
 * part's decoded content into a null stream (reading its filename too).
 *
 *   gmime_floor [--iterations N] [--verbose] FILE...
 *
 * Prints exactly one line on stdout:
 *   bytes=<input bytes processed> seconds=<elapsed wall seconds>
 * With --verbose, per-file details of the first pass go to stderr.
 *
 * Build:
 *   gcc -O2 -o gmime_floor gmime_floor.c $(pkg-config --cflags --libs gmime-3.0)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <gmime/gmime.h>
#include <openssl/evp.h>

typedef struct {
	GMimeStream *sink;      /* one null stream, reused for every part */
	gboolean verbose;
	gboolean sha256;        /* --sha256: also hash each decoded part, as tuibao must */
	unsigned long parts;    /* leaf parts decoded */
	unsigned long messages; /* embedded message/rfc822 parts */
	size_t decoded;         /* decoded bytes written to the sink */
	size_t name_len;        /* keeps the filename reads observable */
} Walk;

static void walk_message (GMimeMessage *message, Walk *w);

static void
visit (GMimeObject *parent, GMimeObject *part, gpointer user_data)
{
	Walk *w = user_data;
	(void) parent;

	if (GMIME_IS_MESSAGE_PART (part)) {
		/* Descend into attached messages, as Python's Message.walk() does. */
		GMimeMessage *inner = g_mime_message_part_get_message ((GMimeMessagePart *) part);
		w->messages++;
		if (inner != NULL)
			walk_message (inner, w);
		return;
	}

	if (!GMIME_IS_PART (part))
		return; /* multiparts: g_mime_message_foreach visits their children */

	const char *filename = g_mime_part_get_filename ((GMimePart *) part);
	if (filename != NULL)
		w->name_len += strlen (filename);

	GMimeDataWrapper *content = g_mime_part_get_content ((GMimePart *) part);
	if (content != NULL && w->sha256) {
		/* The same work tuibao does: decode through a filter stream in 64 KiB reads, hash. */
		GMimeStream *source = g_mime_data_wrapper_get_stream (content);
		GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding (content);
		g_mime_stream_reset (source);
		GMimeStream *decoding = g_mime_stream_filter_new (source);
		if (encoding == GMIME_CONTENT_ENCODING_BASE64 || encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE
		    || encoding == GMIME_CONTENT_ENCODING_UUENCODE) {
			GMimeFilter *filter = g_mime_filter_basic_new (encoding, FALSE);
			g_mime_stream_filter_add ((GMimeStreamFilter *) decoding, filter);
			g_object_unref (filter);
		}
		static char buffer[65536];
		unsigned char digest[32];
		unsigned int digest_len;
		EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
		EVP_DigestInit_ex (ctx, EVP_sha256 (), NULL);
		ssize_t n;
		while ((n = g_mime_stream_read (decoding, buffer, sizeof buffer)) > 0) {
			EVP_DigestUpdate (ctx, buffer, (size_t) n);
			w->decoded += (size_t) n;
		}
		EVP_DigestFinal_ex (ctx, digest, &digest_len);
		EVP_MD_CTX_free (ctx);
		g_object_unref (decoding);
		w->name_len += digest[0];
	} else if (content != NULL) {
		GMimeStreamNull *null = (GMimeStreamNull *) w->sink;
		size_t before = null->written;
		if (g_mime_data_wrapper_write_to_stream (content, w->sink) == -1) {
			fprintf (stderr, "gmime_floor: failed to decode a part\n");
			exit (1);
		}
		w->decoded += null->written - before;
	}
	w->parts++;
}

static void
walk_message (GMimeMessage *message, Walk *w)
{
	const char *subject = g_mime_message_get_subject (message);
	InternetAddressList *from = g_mime_message_get_from (message);
	char *from_str = from != NULL ? internet_address_list_to_string (from, NULL, FALSE) : NULL;

	if (w->verbose)
		fprintf (stderr, "  subject: %s\n  from: %s\n",
			 subject ? subject : "(none)", from_str ? from_str : "(none)");
	if (subject != NULL)
		w->name_len += strlen (subject);
	if (from_str != NULL)
		w->name_len += strlen (from_str);
	g_free (from_str);

	g_mime_message_foreach (message, visit, w);
}

static void
parse_file (const char *path, Walk *w)
{
	GError *err = NULL;
	GMimeStream *stream = g_mime_stream_fs_open (path, O_RDONLY, 0, &err);
	if (stream == NULL) {
		fprintf (stderr, "gmime_floor: %s: %s\n", path, err ? err->message : "cannot open");
		exit (1);
	}

	GMimeParser *parser = g_mime_parser_new_with_stream (stream);
	g_mime_parser_set_persist_stream (parser, TRUE);
	g_object_unref (stream); /* the parser holds its own reference */

	GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);
	if (message == NULL) {
		fprintf (stderr, "gmime_floor: %s: not a parseable message\n", path);
		exit (1);
	}

	if (w->verbose)
		fprintf (stderr, "%s\n", path);
	unsigned long parts0 = w->parts;
	size_t decoded0 = w->decoded;
	walk_message (message, w);
	if (w->verbose)
		fprintf (stderr, "  leaf parts: %lu  decoded bytes: %zu\n",
			 w->parts - parts0, w->decoded - decoded0);

	g_object_unref (message);
	g_object_unref (parser);
}

static double
now (void)
{
	struct timespec ts;
	clock_gettime (CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
usage (void)
{
	fprintf (stderr, "usage: gmime_floor [--iterations N] [--verbose] FILE...\n");
	exit (2);
}

int
main (int argc, char **argv)
{
	long iterations = 1;
	gboolean verbose = FALSE;
	gboolean sha256 = FALSE;
	int first = 1;

	while (first < argc && strncmp (argv[first], "-", 1) == 0) {
		if (strcmp (argv[first], "--iterations") == 0 || strcmp (argv[first], "-n") == 0) {
			if (first + 1 >= argc)
				usage ();
			char *end;
			iterations = strtol (argv[first + 1], &end, 10);
			if (*end != '\0' || iterations < 1)
				usage ();
			first += 2;
		} else if (strncmp (argv[first], "--iterations=", 13) == 0) {
			char *end;
			iterations = strtol (argv[first] + 13, &end, 10);
			if (*end != '\0' || iterations < 1)
				usage ();
			first += 1;
		} else if (strcmp (argv[first], "--sha256") == 0) {
			sha256 = TRUE;
			first += 1;
		} else if (strcmp (argv[first], "--verbose") == 0 || strcmp (argv[first], "-v") == 0) {
			verbose = TRUE;
			first += 1;
		} else if (strcmp (argv[first], "--") == 0) {
			first += 1;
			break;
		} else {
			usage ();
		}
	}
	if (first >= argc)
		usage ();

	/* Sizes up front, so the timed loop only parses. */
	int nfiles = argc - first;
	unsigned long long pass_bytes = 0;
	for (int i = 0; i < nfiles; i++) {
		struct stat st;
		if (stat (argv[first + i], &st) != 0) {
			fprintf (stderr, "gmime_floor: %s: %s\n", argv[first + i], strerror (errno));
			return 1;
		}
		pass_bytes += (unsigned long long) st.st_size;
	}

	g_mime_init ();

	Walk w = { 0 };
	w.sink = g_mime_stream_null_new ();
	w.sha256 = sha256;

	double start = now ();
	for (long it = 0; it < iterations; it++) {
		w.verbose = verbose && it == 0;
		for (int i = 0; i < nfiles; i++)
			parse_file (argv[first + i], &w);
	}
	double elapsed = now () - start;

	if (verbose)
		fprintf (stderr, "total: %lu leaf parts, %lu embedded messages, %zu decoded bytes over %ld iteration(s)\n",
			 w.parts, w.messages, w.decoded, iterations);

	g_object_unref (w.sink);
	g_mime_shutdown ();

	printf ("bytes=%llu seconds=%.6f\n", pass_bytes * (unsigned long long) iterations, elapsed);
	return 0;
}
