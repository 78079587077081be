import { defineMessages } from './define';

/** Cards drawn by an Anki note type's templates: template mistakes and blank cards, worded as Anki words them. */
export const ankiTemplateMessages = defineMessages({
  en: {
    'ankiTemplate.frontProblem': 'Front template has a problem:',
    'ankiTemplate.backProblem': 'Back template has a problem:',
    'ankiTemplate.notClosed': 'Missing “{missing}”',
    'ankiTemplate.wrongClosed': 'Found “{found}”, but expected “{expected}”',
    'ankiTemplate.notOpen': 'Found “{found}”, but missing “{open}” or “{negated}”',
    'ankiTemplate.noSuchField': 'Found “{found}”, but there is no field called “{field}”',
    'ankiTemplate.emptyFront': 'The front of this card is blank.',
    'ankiTemplate.missingCloze': 'No cloze {number} found on card. Add a cloze deletion to the note, or delete this card.',
    'ankiTemplate.moreInfo': 'More information',
    'ankiTemplate.typeAnswer': 'Type the answer',
    'ankiTemplate.editorFields': 'Fields of the note type “{name}” (HTML, as Anki keeps them)',
    'ankiTemplate.editorCard': 'Card {number} as its template draws it',
    'ankiTemplate.editorQuestion': 'Front',
    'ankiTemplate.editorAnswer': 'Back',
  },
  ko: {
    'ankiTemplate.frontProblem': '앞면 템플릿에 문제가 있습니다:',
    'ankiTemplate.backProblem': '뒷면 템플릿에 문제가 있습니다:',
    'ankiTemplate.notClosed': '“{missing}”이(가) 없습니다',
    'ankiTemplate.wrongClosed': '“{found}”이(가) 있지만 “{expected}”이(가) 와야 합니다',
    'ankiTemplate.notOpen': '“{found}”이(가) 있지만 짝이 되는 “{open}” 또는 “{negated}”이(가) 없습니다',
    'ankiTemplate.noSuchField': '“{found}”이(가) 있지만 “{field}”(이)라는 필드가 없습니다',
    'ankiTemplate.emptyFront': '이 카드의 앞면이 비어 있습니다.',
    'ankiTemplate.missingCloze': '카드에 클로즈 {number}번이 없습니다. 노트에 클로즈를 추가하거나 이 카드를 삭제하세요.',
    'ankiTemplate.moreInfo': '자세히 보기',
    'ankiTemplate.typeAnswer': '답을 입력하세요',
    'ankiTemplate.editorFields': '노트 유형 “{name}”의 필드 (Anki와 같은 HTML)',
    'ankiTemplate.editorCard': '템플릿이 그리는 카드 {number}',
    'ankiTemplate.editorQuestion': '앞면',
    'ankiTemplate.editorAnswer': '뒷면',
  },
});
