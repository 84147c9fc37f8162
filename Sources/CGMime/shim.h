#ifndef TUIBAO_CGMIME_SHIM_H
#define TUIBAO_CGMIME_SHIM_H

#include <gmime/gmime.h>

// GObject type checks and casts are function-like macros, which Swift cannot import.
// Each wrapper below exists only to make one such macro callable from Swift.

static inline int cgmime_is_multipart(GMimeObject *object) { return GMIME_IS_MULTIPART(object); }
static inline int cgmime_is_part(GMimeObject *object) { return GMIME_IS_PART(object); }
static inline int cgmime_is_message_part(GMimeObject *object) { return GMIME_IS_MESSAGE_PART(object); }

static inline GMimeMultipart *cgmime_as_multipart(GMimeObject *object) { return GMIME_MULTIPART(object); }
static inline GMimePart *cgmime_as_part(GMimeObject *object) { return GMIME_PART(object); }
static inline GMimeMessagePart *cgmime_as_message_part(GMimeObject *object) { return GMIME_MESSAGE_PART(object); }
static inline GMimeObject *cgmime_message_as_object(GMimeMessage *message) { return GMIME_OBJECT(message); }
static inline GMimeObject *cgmime_text_part_as_object(GMimeTextPart *part) { return GMIME_OBJECT(part); }
static inline GMimePart *cgmime_text_part_as_part(GMimeTextPart *part) { return GMIME_PART(part); }
static inline GMimeObject *cgmime_part_as_object(GMimePart *part) { return GMIME_OBJECT(part); }
static inline GMimeObject *cgmime_multipart_as_object(GMimeMultipart *multipart) { return GMIME_OBJECT(multipart); }
static inline GMimeStreamFilter *cgmime_as_stream_filter(GMimeStream *stream) { return GMIME_STREAM_FILTER(stream); }
static inline GMimeStreamCat *cgmime_as_stream_cat(GMimeStream *stream) { return GMIME_STREAM_CAT(stream); }

static inline int cgmime_address_is_group(InternetAddress *address) { return INTERNET_ADDRESS_IS_GROUP(address); }
static inline InternetAddressMailbox *cgmime_as_mailbox(InternetAddress *address) { return INTERNET_ADDRESS_MAILBOX(address); }
static inline InternetAddressGroup *cgmime_as_group(InternetAddress *address) { return INTERNET_ADDRESS_GROUP(address); }

// g_object_unref takes a gpointer; a typed wrapper keeps the Swift call sites free of casts.
static inline void cgmime_unref(void *object) { if (object) g_object_unref(object); }

#endif
