import { defineMessages } from './define';

export const todayMessages = defineMessages({
  en: {
    'today.title': 'Today',
    'today.dueNow': { one: 'card due now', other: 'cards due now' },
    'today.learning': 'Learning',
    'today.review': 'Review',
    'today.new': 'New',
    'today.streak': { one: '{count} day streak', other: '{count} day streak' },
    'today.noStreak': 'No streak yet',
    'today.reviewedToday': { one: '{count} review today', other: '{count} reviews today' },
    'today.totalCards': { one: '{count} card in your collection', other: '{count} cards in your collection' },
    'today.start': 'Start review',
    'today.startHint': 'Press Enter to start',
    'today.allDone': 'All done for today. Come back tomorrow — the schedule will have new cards ready.',
    'today.empty': 'Your collection is empty. Import a deck to begin.',
  },
  ko: {
    'today.title': '오늘',
    'today.dueNow': { other: '장 학습 대기' },
    'today.learning': '학습 중',
    'today.review': '복습',
    'today.new': '새 카드',
    'today.streak': { other: '{count}일 연속' },
    'today.noStreak': '연속 기록 없음',
    'today.reviewedToday': { other: '오늘 {count}장 복습' },
    'today.totalCards': { other: '전체 {count}장' },
    'today.start': '복습 시작',
    'today.startHint': 'Enter를 눌러 시작',
    'today.allDone': '오늘 학습을 모두 마쳤습니다. 내일 새 카드가 준비됩니다.',
    'today.empty': '카드가 없습니다. 덱을 가져와 시작하세요.',
  },
});
