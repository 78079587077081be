import { defineMessages } from './define';

/**
 * The undo history's words: each operation names itself (`undo.op.<kind>`), and the actions and
 * notices put that name in a sentence ("Undo delete 12 cards").
 */
export const undoMessages = defineMessages({
  en: {
    'undo.op.answer': 'answer',
    'undo.op.bury': { one: 'bury {count} card', other: 'bury {count} cards' },
    'undo.op.suspend': { one: 'suspend {count} card', other: 'suspend {count} cards' },
    'undo.op.unsuspend': { one: 'unsuspend {count} card', other: 'unsuspend {count} cards' },
    'undo.op.add-note': 'add note',
    'undo.op.edit-note': 'edit note',
    'undo.op.delete': { one: 'delete {count} card', other: 'delete {count} cards' },
    'undo.op.move': { one: 'move {count} card to {name}', other: 'move {count} cards to {name}' },
    'undo.op.tag': { one: 'tag {count} card “{name}”', other: 'tag {count} cards “{name}”' },
    'undo.op.untag': { one: 'remove tag “{name}” from {count} card', other: 'remove tag “{name}” from {count} cards' },
    'undo.op.forget': { one: 'forget {count} card', other: 'forget {count} cards' },
    'undo.op.import': { one: 'import {count} note into {name}', other: 'import {count} notes into {name}' },
    'undo.undo': 'Undo {op}',
    'undo.redo': 'Redo {op}',
    'undo.undone': 'Undone: {op}',
    'undo.redone': 'Redone: {op}',
    'undo.action.undo': 'Undo',
    'undo.action.redo': 'Redo',
    'undo.keys.undo': 'Undo (any screen, many steps, kept across restarts)',
    'undo.keys.redo': 'Redo',
  },
  ko: {
    'undo.op.answer': '답',
    'undo.op.bury': { other: '카드 {count}장 묻어두기' },
    'undo.op.suspend': { other: '카드 {count}장 보류' },
    'undo.op.unsuspend': { other: '카드 {count}장 보류 해제' },
    'undo.op.add-note': '노트 추가',
    'undo.op.edit-note': '노트 편집',
    'undo.op.delete': { other: '카드 {count}장 삭제' },
    'undo.op.move': { other: '카드 {count}장을 {name}(으)로 이동' },
    'undo.op.tag': { other: '카드 {count}장에 태그 “{name}” 추가' },
    'undo.op.untag': { other: '카드 {count}장에서 태그 “{name}” 제거' },
    'undo.op.forget': { other: '카드 {count}장 초기화' },
    'undo.op.import': { other: '{name}에 노트 {count}개 가져오기' },
    'undo.undo': '{op} 되돌리기',
    'undo.redo': '{op} 다시 실행',
    'undo.undone': '되돌렸습니다: {op}',
    'undo.redone': '다시 실행했습니다: {op}',
    'undo.action.undo': '되돌리기',
    'undo.action.redo': '다시 실행',
    'undo.keys.undo': '되돌리기 (어느 화면에서나, 여러 단계, 다시 시작해도 유지)',
    'undo.keys.redo': '다시 실행',
  },
});
