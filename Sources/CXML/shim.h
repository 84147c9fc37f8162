#ifndef TUIBAO_CXML_SHIM_H
#define TUIBAO_CXML_SHIM_H

// libxml2's SAX2 parser, driven directly for untrusted OOXML parts: Foundation's XMLParser traps
// on some byte strings (it force-unwraps names that are not UTF-8). These helpers do the C-side
// setup Swift cannot write tidily: putting our SAX handler into a memory parser context.
#include <string.h>
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and encoding.h would then pull in the system's ICU headers,
// which clash with the copy Foundation bundles. Nothing here touches the ICU-only fields (they sit
// in xmlCharEncodingHandler, only ever reached through pointers), so leave them out.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

static const unsigned int tuibao_xml_sax2_magic = XML_SAX2_MAGIC;

// A parser context over `size` bytes (libxml2 copies them) that calls `sax` with `user` as its
// context and parses with `options` (XML_PARSE_*). NULL when libxml2 cannot allocate one.
static inline xmlParserCtxtPtr tuibao_xml_create(const xmlSAXHandler *sax, void *user,
                                                 const char *bytes, int size, int options) {
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(bytes, size);
    if (ctxt == NULL) return NULL;
    if (ctxt->sax == NULL) { xmlFreeParserCtxt(ctxt); return NULL; }
    memcpy(ctxt->sax, sax, sizeof(xmlSAXHandler));  // the context's own copy, freed with it
    ctxt->userData = user;
    xmlCtxtUseOptions(ctxt, options);
    return ctxt;
}

// Parses the whole document: 0 when it was well-formed (namespaces too) and nothing stopped it.
static inline int tuibao_xml_parse(xmlParserCtxtPtr ctxt) {
    int status = xmlParseDocument(ctxt);
    return (status == 0 && ctxt->wellFormed && ctxt->errNo == XML_ERR_OK) ? 0 : -1;
}

static inline void tuibao_xml_free(xmlParserCtxtPtr ctxt) {
    if (ctxt->myDoc != NULL) xmlFreeDoc(ctxt->myDoc);  // our handler builds no tree; defensive
    xmlFreeParserCtxt(ctxt);
}

#endif
