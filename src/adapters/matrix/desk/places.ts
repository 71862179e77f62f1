/**
 * Which desk rooms the Matrix platform serves (and the doctor checks): one per desk of the desks file on Matrix
 * (`PlatformDeps.deskPlaces`), or the room of MATRIX_DESK_ROOM_ID. Each has its port's name (what the desk core
 * stores with a ticket's thread) and the namespace of its own state in `adapter_state`.
 */
import type { DeskPlace } from '../../platform.js';
import type { MatrixConfig } from '../config.js';
import { DESK_STATE, MATRIX_DESK } from './port.js';

/** A desk room to serve: where it is, its port's name, its state's namespace, and what sets it (for start's errors). */
export interface MatrixDeskPlace {
  roomId: string;
  port: string;
  namespace: string;
  setting: string;
}

/**
 * The desk rooms: one per desk of the desks file on Matrix when the composition root gives them; else the room of
 * MATRIX_DESK_ROOM_ID, as before desks existed (port "matrix", state "matrix-desk": the tickets and roots stored
 * then are still found).
 */
export function deskRoomPlaces(config: Pick<MatrixConfig, 'desk'>, deskPlaces: ReadonlyArray<DeskPlace> | undefined): MatrixDeskPlace[] {
  if (deskPlaces?.length) {
    return deskPlaces.map(({ place, port, deskId }) => ({
      roomId: place,
      port,
      // The single desk of the variables, if given as a place, keeps its port's name and so its stored state.
      namespace: port === MATRIX_DESK ? DESK_STATE : `${DESK_STATE}/${deskId}`,
      setting: `matrixRoomId of desk "${deskId}" in the desks file`,
    }));
  }
  return config.desk ? [{ roomId: config.desk.roomId, port: MATRIX_DESK, namespace: DESK_STATE, setting: 'MATRIX_DESK_ROOM_ID' }] : [];
}
