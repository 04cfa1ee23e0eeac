/* Linked into sbx in sanitizer builds only (--enable-sanitizers): the
 * defaults the test suites rely on, built in because the integration suite
 * runs sbx with a cleared environment where ASAN_OPTIONS would be lost.
 *
 * A report must fail the test that caused it: every report exits 86, a
 * status sbx itself never uses (its own errors are 1, the command's are
 * passed on), and undefined behaviour stops the process like a memory error. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__lsan_default_options(void);

const char *__asan_default_options(void)
{
	return "exitcode=86:detect_leaks=1:abort_on_error=0";
}

const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

const char *__lsan_default_options(void)
{
	return "exitcode=86";
}
