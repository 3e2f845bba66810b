/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-replay.c: a main() for a fuzz target without libFuzzer. Each file
 * in the directories given becomes one GTest case that feeds the file to
 * LLVMFuzzerTestOneInput() once, so every build (gcc, ASan, valgrind)
 * checks the committed seeds and every input that once crashed a parser. */
#include "fuzz-common.h"

#include <string.h>

static void
replay_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize            len = 0;
  g_autofree char *input = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  /* An exact-size copy (as libFuzzer passes), so that reading one byte past
   * the input is caught by ASan and valgrind. */
  input = len > 0 ? g_memdup2 (contents, len) : g_steal_pointer (&contents);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *)input, len), ==, 0);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GDir) dir = g_dir_open (argv[i], 0, &error);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *corpus = g_path_get_basename (argv[i]);
      const char      *name;

      if (dir == NULL)
        g_error ("%s", error->message);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);

      for (guint j = 0; j < names->len; j++)
        {
          const char      *file = g_ptr_array_index (names, j);
          g_autofree char *test_path = g_strdup_printf ("/replay/%s/%s", corpus, file);

          g_ptr_array_add (paths, g_build_filename (argv[i], file, NULL));
          g_test_add_data_func (test_path, g_ptr_array_index (paths, paths->len - 1), replay_file);
        }
    }

  /* An empty or missing corpus would pass without checking anything. */
  if (paths->len == 0)
    g_error ("no corpus files given");
  return g_test_run ();
}
