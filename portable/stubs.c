/* Stand-ins, linked only into tactful-portable, for optional parts of libcurl and libxml2 whose
 * libraries Debian ships without a static archive (Kerberos GSS-API, OpenLDAP, librtmp) or that
 * would add 30 MiB (ICU's data). Each one reports failure, so the feature is absent, never
 * half there: tactful restricts curl to http and https and never asks for Negotiate or
 * Kerberos authentication, and libxml2 reaches ICU only for a character set that neither it
 * nor the C library converts (tactful hands it UTF-8).
 *
 * The x86-64 calling convention lets a function ignore trailing arguments, so each stand-in
 * names only the ones it uses. No stand-in keeps state. The lists below are tables: one line
 * a symbol, made into a function by the macro above them. */
#include <stddef.h>

/* ---- GSS-API (libgssapi_krb5): every call fails with GSS_S_FAILURE. ---- */

#define STUB_GSS_S_FAILURE (13u << 16)

/* Sets the minor status and returns the major failure every GSS-API stand-in reports. */
static unsigned
gss_fail(unsigned *minor)
{
    if (minor)
        *minor = 0;
    return STUB_GSS_S_FAILURE;
}

/* Defines the GSS-API call name as a failure. */
#define STUB_GSS(name)                                                                           \
    unsigned name(unsigned *minor);                                                              \
    unsigned name(unsigned *minor)                                                               \
    {                                                                                            \
        return gss_fail(minor);                                                                  \
    }

STUB_GSS(gss_init_sec_context)
STUB_GSS(gss_delete_sec_context)
STUB_GSS(gss_display_name)
STUB_GSS(gss_display_status)
STUB_GSS(gss_import_name)
STUB_GSS(gss_inquire_context)
STUB_GSS(gss_release_buffer)
STUB_GSS(gss_release_name)
STUB_GSS(gss_unwrap)
STUB_GSS(gss_wrap)

/* The name type curl hands to gss_import_name: none. */
extern const void *const GSS_C_NT_HOSTBASED_SERVICE;
const void *const GSS_C_NT_HOSTBASED_SERVICE = NULL;

/* ---- OpenLDAP (libldap, liblber) and librtmp: every call fails or does nothing. ---- */

/* Defines the call name, returning the int value. */
#define STUB_INT(name, value)                                                                    \
    int name(void);                                                                              \
    int name(void)                                                                               \
    {                                                                                            \
        return value;                                                                            \
    }

/* Defines the call name, which does nothing (it releases what no stand-in made). */
#define STUB_VOID(name)                                                                          \
    void name(void);                                                                             \
    void name(void)                                                                              \
    {                                                                                            \
    }

#define STUB_LDAP_OTHER 80          /* LDAP_OTHER */
#define STUB_LDAP_URL_ERR_BADSCHEME 3

STUB_INT(ldap_abandon_ext, STUB_LDAP_OTHER)
STUB_INT(ldap_get_attribute_ber, STUB_LDAP_OTHER)
STUB_INT(ldap_get_dn_ber, STUB_LDAP_OTHER)
STUB_INT(ldap_get_option, STUB_LDAP_OTHER)
STUB_INT(ldap_init_fd, STUB_LDAP_OTHER)
STUB_INT(ldap_parse_result, STUB_LDAP_OTHER)
STUB_INT(ldap_parse_sasl_bind_result, STUB_LDAP_OTHER)
STUB_INT(ldap_sasl_bind, STUB_LDAP_OTHER)
STUB_INT(ldap_search_ext, STUB_LDAP_OTHER)
STUB_INT(ldap_set_option, STUB_LDAP_OTHER)
STUB_INT(ldap_start_tls, STUB_LDAP_OTHER)
STUB_INT(ldap_unbind_ext, STUB_LDAP_OTHER)
STUB_INT(ldap_url_parse, STUB_LDAP_URL_ERR_BADSCHEME)
STUB_INT(ldap_result, -1)
STUB_INT(ldap_msgtype, -1)
STUB_INT(ldap_msgfree, -1)
STUB_INT(ldap_pvt_url_scheme2proto, -1)
STUB_INT(ber_sockbuf_add_io, -1)
STUB_VOID(ldap_free_urldesc)
STUB_VOID(ldap_memfree)
STUB_VOID(ber_bvfree)
STUB_VOID(ber_free)
STUB_VOID(ber_memfree)

/* The message curl shows for any LDAP error. */
char *ldap_err2string(int err);
char *
ldap_err2string(int err)
{
    (void)err;
    return (char *)"LDAP is not available in tactful-portable";
}

/* No RTMP session can be made: curl reports it is out of memory for the handle and stops. */
void *RTMP_Alloc(void);
void *
RTMP_Alloc(void)
{
    return NULL;
}

STUB_INT(RTMP_SetupURL, 0)
STUB_INT(RTMP_Connect1, 0)
STUB_INT(RTMP_ConnectStream, 0)
STUB_INT(RTMP_Read, -1)
STUB_INT(RTMP_Write, -1)
STUB_VOID(RTMP_Init)
STUB_VOID(RTMP_Free)
STUB_VOID(RTMP_Close)
STUB_VOID(RTMP_SetBufferMS)

/* ---- ICU converters (libicuuc), whose names carry ICU's major version. ---- */

#ifdef ICU_MAJOR
#define STUB_ICU_PASTE(name, v) name##_##v
#define STUB_ICU_NAME(name, v) STUB_ICU_PASTE(name, v)
#define STUB_ICU(name) STUB_ICU_NAME(name, ICU_MAJOR)
#define STUB_U_UNSUPPORTED_ERROR 16

/* No converter: libxml2 reports the character set as unsupported. */
void *STUB_ICU(ucnv_open)(const char *name, int *err);
void *
STUB_ICU(ucnv_open)(const char *name, int *err)
{
    (void)name;
    if (err)
        *err = STUB_U_UNSUPPORTED_ERROR;
    return NULL;
}

/* Calls made only on a converter, which never exists. */
STUB_VOID(STUB_ICU(ucnv_close))
STUB_VOID(STUB_ICU(ucnv_setFromUCallBack))
STUB_VOID(STUB_ICU(ucnv_setToUCallBack))
STUB_VOID(STUB_ICU(ucnv_convertEx))
STUB_VOID(STUB_ICU(UCNV_FROM_U_CALLBACK_STOP))
STUB_VOID(STUB_ICU(UCNV_TO_U_CALLBACK_STOP))
#endif
