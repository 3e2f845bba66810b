/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-staged-model.h: a list model that passes its model's rows
 * through, except that a change it is told to stage reaches the view a
 * few rows a frame.
 *
 * A GTK 4.8 list view builds and destroys the widgets of its first 200
 * rows in the emission that announces a change to them, nine cells a row
 * in a column view: a search that changes the top rows stalls the main
 * loop for a tenth of a second or more. Between hold() and release() the
 * view keeps the top rows it has while the model below settles (an
 * incremental filter); after release() they turn into the model's new top
 * rows a few at a time, rows in both staying put, and then the rest of
 * the rows follow in one emission that builds no widgets. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BACKUPS_TYPE_STAGED_MODEL (backups_staged_model_get_type ())

G_DECLARE_FINAL_TYPE (BackupsStagedModel, backups_staged_model, BACKUPS, STAGED_MODEL, GObject)

BackupsStagedModel *backups_staged_model_new (GListModel *model);
GListModel         *backups_staged_model_get_model (BackupsStagedModel *self);
void                backups_staged_model_set_model (BackupsStagedModel *self, GListModel *model);
/* Keeps the rows shown as they are until release(), whatever the model
 * does meanwhile. */
void backups_staged_model_hold (BackupsStagedModel *self);
/* Moves the rows shown to the model's, a few rows a step. */
void backups_staged_model_release (BackupsStagedModel *self);
/* Whether the rows shown are not yet the model's. */
gboolean backups_staged_model_get_pending (BackupsStagedModel *self);

G_END_DECLS
