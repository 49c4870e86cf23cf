/* Stand-ins, linked only into tactful-portable, for optional parts of libcurl and libxml2 whose
 * libraries Debian ships without a static archive (Kerberos GSS-API, OpenLDAP, librtmp) or that
 * would add 30 MiB (ICU's data). Each one reports failure, so the feature is absent, never
 * half there: tactful restricts curl to http and https and never asks for Negotiate or
 * Kerberos authentication, and libxml2 reaches ICU only for a character set that neither it
 * nor the C library converts.
 *
 * The x86-64 calling convention lets a function ignore trailing arguments, so each stand-in
 * names only the ones it uses. No stand-in keeps state. */
#include <stddef.h>

/* ---- GSS-API (libgssapi_krb5): every call fails with GSS_S_FAILURE. ---- */

#define STUB_GSS_S_FAILURE (13u << 16)

unsigned gss_init_sec_context(unsigned *minor);
unsigned gss_delete_sec_context(unsigned *minor);
unsigned gss_display_name(unsigned *minor);
unsigned gss_display_status(unsigned *minor);
unsigned gss_import_name(unsigned *minor);
unsigned gss_inquire_context(unsigned *minor);
unsigned gss_release_buffer(unsigned *minor);
unsigned gss_release_name(unsigned *minor);
unsigned gss_unwrap(unsigned *minor);
unsigned gss_wrap(unsigned *minor);
extern const void *const GSS_C_NT_HOSTBASED_SERVICE;

/* The name type curl hands to gss_import_name: no name type at all. */
const void *const GSS_C_NT_HOSTBASED_SERVICE = NULL;

/* Sets the minor status and returns the major failure every stand-in below reports. */
static unsigned
gss_fail(unsigned *minor)
{
    if (minor)
        *minor = 0;
    return STUB_GSS_S_FAILURE;
}

/* Starting a Kerberos context: not available. */
unsigned gss_init_sec_context(unsigned *minor) { return gss_fail(minor); }
/* Ending a context that could never start. */
unsigned gss_delete_sec_context(unsigned *minor) { return gss_fail(minor); }
/* Naming a principal: not available. */
unsigned gss_display_name(unsigned *minor) { return gss_fail(minor); }
/* Describing a status: not available (curl then prints its own message). */
unsigned gss_display_status(unsigned *minor) { return gss_fail(minor); }
/* Importing a principal's name: not available. */
unsigned gss_import_name(unsigned *minor) { return gss_fail(minor); }
/* Asking about a context: not available. */
unsigned gss_inquire_context(unsigned *minor) { return gss_fail(minor); }
/* Releasing a buffer no stand-in ever filled. */
unsigned gss_release_buffer(unsigned *minor) { return gss_fail(minor); }
/* Releasing a name no stand-in ever made. */
unsigned gss_release_name(unsigned *minor) { return gss_fail(minor); }
/* Unwrapping a message: not available. */
unsigned gss_unwrap(unsigned *minor) { return gss_fail(minor); }
/* Wrapping a message: not available. */
unsigned gss_wrap(unsigned *minor) { return gss_fail(minor); }

/* ---- OpenLDAP (libldap, liblber): every call fails with LDAP_OTHER. ---- */

#define STUB_LDAP_OTHER 80

int ldap_abandon_ext(void);
char *ldap_err2string(int err);
int ldap_free_urldesc(void);
int ldap_get_attribute_ber(void);
int ldap_get_dn_ber(void);
int ldap_get_option(void);
int ldap_init_fd(void);
void ldap_memfree(void);
int ldap_msgfree(void);
int ldap_msgtype(void);
int ldap_parse_result(void);
int ldap_parse_sasl_bind_result(void);
int ldap_pvt_url_scheme2proto(void);
int ldap_result(void);
int ldap_sasl_bind(void);
int ldap_search_ext(void);
int ldap_set_option(void);
int ldap_start_tls(void);
int ldap_unbind_ext(void);
int ldap_url_parse(void);
void ber_bvfree(void);
void ber_free(void);
void ber_memfree(void);
int ber_sockbuf_add_io(void);

/* The message curl shows for any LDAP error. */
char *
ldap_err2string(int err)
{
    (void)err;
    return (char *)"LDAP is not available in tactful-portable";
}

/* Each of these LDAP calls fails. */
int ldap_abandon_ext(void) { return STUB_LDAP_OTHER; }
int ldap_get_attribute_ber(void) { return STUB_LDAP_OTHER; }
int ldap_get_dn_ber(void) { return STUB_LDAP_OTHER; }
int ldap_get_option(void) { return STUB_LDAP_OTHER; }
int ldap_init_fd(void) { return STUB_LDAP_OTHER; }
int ldap_parse_result(void) { return STUB_LDAP_OTHER; }
int ldap_parse_sasl_bind_result(void) { return STUB_LDAP_OTHER; }
int ldap_result(void) { return -1; }
int ldap_sasl_bind(void) { return STUB_LDAP_OTHER; }
int ldap_search_ext(void) { return STUB_LDAP_OTHER; }
int ldap_set_option(void) { return STUB_LDAP_OTHER; }
int ldap_start_tls(void) { return STUB_LDAP_OTHER; }
int ldap_unbind_ext(void) { return STUB_LDAP_OTHER; }
int ldap_url_parse(void) { return 3; /* LDAP_URL_ERR_BADSCHEME */ }
int ldap_pvt_url_scheme2proto(void) { return -1; }
int ldap_msgtype(void) { return -1; }
int ber_sockbuf_add_io(void) { return -1; }
/* Releasing what no stand-in ever allocated: nothing to do. */
int ldap_free_urldesc(void) { return 0; }
int ldap_msgfree(void) { return -1; }
void ldap_memfree(void) {}
void ber_bvfree(void) {}
void ber_free(void) {}
void ber_memfree(void) {}

/* ---- librtmp: no RTMP session can be made. ---- */

void *RTMP_Alloc(void);
void RTMP_Init(void);
void RTMP_Free(void);
void RTMP_Close(void);
int RTMP_SetupURL(void);
int RTMP_Connect1(void);
int RTMP_ConnectStream(void);
int RTMP_Read(void);
int RTMP_Write(void);
void RTMP_SetBufferMS(void);

/* No session: curl reports that it is out of memory for the RTMP handle and stops. */
void *RTMP_Alloc(void) { return NULL; }
/* The rest fail, or do nothing, for the session that never exists. */
void RTMP_Init(void) {}
void RTMP_Free(void) {}
void RTMP_Close(void) {}
int RTMP_SetupURL(void) { return 0; }
int RTMP_Connect1(void) { return 0; }
int RTMP_ConnectStream(void) { return 0; }
int RTMP_Read(void) { return -1; }
int RTMP_Write(void) { return -1; }
void RTMP_SetBufferMS(void) {}

/* ---- ICU converters (libicuuc), whose names carry ICU's major version. ---- */

#ifdef ICU_MAJOR
#define STUB_ICU_PASTE(name, v) name##_##v
#define STUB_ICU_NAME(name, v) STUB_ICU_PASTE(name, v)
#define STUB_ICU(name) STUB_ICU_NAME(name, ICU_MAJOR)
#define STUB_U_UNSUPPORTED_ERROR 16

void *STUB_ICU(ucnv_open)(const char *name, int *err);
void STUB_ICU(ucnv_close)(void *conv);
void STUB_ICU(ucnv_setFromUCallBack)(void);
void STUB_ICU(ucnv_setToUCallBack)(void);
void STUB_ICU(ucnv_convertEx)(void);
void STUB_ICU(UCNV_FROM_U_CALLBACK_STOP)(void);
void STUB_ICU(UCNV_TO_U_CALLBACK_STOP)(void);

/* No converter: libxml2 reports the character set as unsupported. */
void *
STUB_ICU(ucnv_open)(const char *name, int *err)
{
    (void)name;
    if (err)
        *err = STUB_U_UNSUPPORTED_ERROR;
    return NULL;
}

/* Closing the converter that was never opened. */
void STUB_ICU(ucnv_close)(void *conv) { (void)conv; }
/* Calls made only on an open converter, so never. */
void STUB_ICU(ucnv_setFromUCallBack)(void) {}
void STUB_ICU(ucnv_setToUCallBack)(void) {}
void STUB_ICU(ucnv_convertEx)(void) {}
void STUB_ICU(UCNV_FROM_U_CALLBACK_STOP)(void) {}
void STUB_ICU(UCNV_TO_U_CALLBACK_STOP)(void) {}
#endif
